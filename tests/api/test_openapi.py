"""The OpenAPI document: served, complete, and exported for the mini-program's contract test."""
import json
from pathlib import Path

EXPORT = Path(__file__).resolve().parents[2] / "build" / "openapi.json"


def test_openapi_document_describes_every_operation(client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, f"{method.upper()} {path} documents no success response"
            if "requestBody" in operation:
                assert operation["requestBody"]["content"], f"{method} {path} has no body schema"
            for code, response in responses.items():
                if not code.startswith("2") and code != "default":
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_docs_page_is_served_with_local_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "/api/docs/static/swagger-ui-bundle.js" in page.get_data(as_text=True)
    asset = client.get("/api/docs/static/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.data) > 100_000
    asset.close()


def test_export_openapi_for_the_mini_program(client):
    """`make test` runs pytest before jest: the mini-program's contract test reads this file,
    the document of a development server (dev-login included)."""
    spec = client.get("/api/openapi.json").json
    assert "/api/v1/auth/dev-login" in spec["paths"]
    EXPORT.parent.mkdir(exist_ok=True)
    EXPORT.write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
    assert json.loads(EXPORT.read_text(encoding="utf-8"))["paths"] == spec["paths"]


def _operation_at(spec, ref):
    """The operation a local operationRef (#/paths/<escaped path>/<method>) points at."""
    prefix, escaped, method = ref.rsplit("/", 2)
    assert prefix == "#/paths", ref
    path = escaped.replace("~1", "/").replace("~0", "~")
    return path, spec["paths"][path][method]


def _body_fields(spec, operation):
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return set(schema["properties"])


def test_every_declared_link_is_in_the_document_and_points_at_real_inputs(client):
    from server.api.links import LINKS

    spec = client.get("/api/openapi.json").json
    found = 0
    for (path, method, status), links in LINKS.items():
        response = spec["paths"]["/api/v1" + path][method]["responses"][status]
        assert response.get("links") == links, (method, path, status)
        for name, link in links.items():
            target_path, target = _operation_at(spec, link["operationRef"])
            inputs = {p["name"] for p in target.get("parameters", [])}
            inputs |= set(target_path.replace("}", "{").split("{")[1::2])
            assert set(link.get("parameters", {})) <= inputs, name
            if "requestBody" in link:
                assert set(link["requestBody"]) <= _body_fields(spec, target), name
            found += 1
    assert found >= 40


def test_a_body_of_optional_fields_is_documented_as_optional(client):
    """A body whose every field is optional may be left out (it reads as {}); a document that
    called it required would promise a refusal the API does not give."""
    spec = client.get("/api/openapi.json").json
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body or "application/json" not in body["content"]:
                continue
            schema = body["content"]["application/json"]["schema"]
            if "$ref" in schema:
                schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            assert body.get("required", False) == bool(schema.get("required")), (method, path)
