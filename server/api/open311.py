"""Open311 GeoReport v2 under /open311/v2 (https://wiki.open311.org/GeoReport_v2/): a plain
blueprint outside /api/v1, because the spec fixes its own shapes: a `.json` or `.xml` suffix on
every path, form-encoded POSTs with an `api_key`, and errors as [{"code", "description"}].
Parsing and rendering live here; every rule is in server.services.open311."""
from flask import Blueprint, request, url_for
from werkzeug.exceptions import HTTPException

from server.api.open311_format import FORMATS, render, render_errors
from server.errors import APIError, BadRequest, HTTP_MESSAGES
from server.models.base import utcnow
from server.services.open311 import georeport, keys

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
FMT = "<any(json,xml):fmt>"


def _values():
    """Query and form values as one dict; NUL refused as everywhere else in the API."""
    values = {}
    for key, value in list(request.args.items()) + list(request.form.items()):
        if "\x00" in key or "\x00" in value:
            raise BadRequest("请求中含有不允许的字符", slug="invalid_characters")
        values[key] = value
    return values


def _partner(values):
    return keys.partner_or_none(values.get("api_key"))


@bp.route(f"/discovery.{FMT}")
def discovery(fmt):
    base = url_for("open311.services", fmt="json", _external=True).rsplit("/", 1)[0] + "/"
    data = {"changeset": "2026-12-01T00:00:00+08:00", "contact": "上海市精神文明建设委员会办公室",
            "key_service": "API 密钥由市文明办发放（flask open311 issue-key 或 "
                           "POST /api/v1/open311/keys）",
            "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2",
                           "url": base, "changeset": "2026-12-01T00:00:00+08:00",
                           "type": "production", "formats": ["application/json", "text/xml"]}]}
    return render(data, fmt, "discovery")


@bp.route(f"/services.{FMT}")
def services(fmt):
    georeport.jurisdiction(_values().get("jurisdiction_id"))
    return render(georeport.services(), fmt, "services", "service")


@bp.route(f"/services/<code>.{FMT}")
def service_definition(code, fmt):
    georeport.jurisdiction(_values().get("jurisdiction_id"))
    return render(georeport.definition(code), fmt, "service_definition")


@bp.route(f"/requests.{FMT}", methods=["GET"])
def list_requests(fmt):
    values = _values()
    page = georeport.list_requests(_partner(values), values, utcnow())
    response = render([georeport.request_view(r) for r in page.items], fmt, "service_requests",
                      "request")
    response.headers["X-Total-Count"] = str(page.total)
    return response


@bp.route(f"/requests.{FMT}", methods=["POST"])
def post_request(fmt):
    values = _values()
    partner = keys.authenticate(values.get("api_key"))
    filed = georeport.post_request(partner, values)
    return render([filed], fmt, "service_requests", "request", status=201)


@bp.route(f"/requests/<request_id>.{FMT}")
def get_request(request_id, fmt):
    values = _values()
    if not request_id.isdigit() or len(request_id) > 9:
        raise BadRequest("service_request_id 应为数字", slug="invalid_service_request_id")
    report = georeport.request_by_id(_partner(values), int(request_id))
    return render([georeport.request_view(report)], fmt, "service_requests", "request")


@bp.route(f"/tokens/<token>.{FMT}")
def token(token, fmt):
    _values()
    report_id = georeport.request_id_for_token(token)
    return render([{"service_request_id": str(report_id), "token": token}], fmt,
                  "service_requests", "request")


@bp.route("/<path:rest>", methods=["GET", "POST"])
def unknown(rest):
    raise APIError("没有这个 Open311 接口（路径须以 .json 或 .xml 结尾）", status=404)


def _format():
    fmt = (request.view_args or {}).get("fmt")
    if fmt in FORMATS:
        return fmt
    return "xml" if request.path.endswith(".xml") else "json"


@bp.errorhandler(APIError)
def _api_error(err):
    return render_errors(err.status, err.message, _format())


@bp.errorhandler(HTTPException)
def _http_error(err):
    return render_errors(err.code or 500, HTTP_MESSAGES.get(err.code, ("", err.description))[1],
                         _format())
