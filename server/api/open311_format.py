"""Open311's two formats: JSON as the spec prints it (a list of objects, or one object), and
XML with the spec's element names (<services><service>…). Values are rendered as the spec's
XML does: booleans as true/false, missing values as empty elements."""
import json

import xmltodict
from flask import Response

FORMATS = ("json", "xml")
# Lists nested inside an object, and the element name of their items in XML.
NESTED_ITEMS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint",
                "formats": "format"}


def _xml_value(value, key=None):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return {k: _xml_value(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return {NESTED_ITEMS.get(key, "item"): [_xml_value(v) for v in value]}
    if value is None:
        return None
    return str(value)


def render(data, fmt, root, item=None, status=200):
    if fmt == "json":
        return Response(json.dumps(data, ensure_ascii=False), status=status,
                        mimetype="application/json")
    if item is not None:
        tree = {root: {item: [_xml_value(d) for d in data]} if data else None}
    else:
        tree = {root: _xml_value(data)}
    return Response(xmltodict.unparse(tree, pretty=True), status=status,
                    mimetype="text/xml")


def render_errors(status, description, fmt):
    errors = [{"code": status, "description": description}]
    return render(errors, fmt, "errors", "error", status=status)
