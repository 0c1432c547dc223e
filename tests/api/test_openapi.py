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
