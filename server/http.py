"""Request-level rules shared by every endpoint: JSON bodies only, local Swagger UI assets,
SQLite foreign keys."""
from pathlib import Path

from flask import Blueprint, request, send_from_directory
from werkzeug.routing import IntegerConverter
from sqlalchemy import event
from sqlalchemy.engine import Engine
from swagger_ui_bundle import swagger_ui_path

from server.errors import APIError
from server.schemas.common import MAX_ID

# Endpoints that take multipart uploads instead of JSON.
NON_JSON_ENDPOINTS = {"uploads.upload"}

docs_assets = Blueprint("docs_assets", __name__)


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive row id. Out of range is a 404, not a database overflow."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def _id_schema(converter):
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


@docs_assets.route("/api/docs/static/<path:filename>")
def swagger_asset(filename):
    return send_from_directory(Path(swagger_ui_path), filename, max_age=86400)


def _require_json():
    if request.method not in ("POST", "PUT", "PATCH") or not request.path.startswith("/api/"):
        return
    if request.endpoint in NON_JSON_ENDPOINTS or request.routing_exception is not None:
        return  # multipart uploads; and a 404/405 answers before the media type does
    has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding")
    if has_body and not request.is_json:
        raise APIError("不支持的内容类型，请使用 application/json", slug="unsupported_media_type",
                       status=415)


def _contains_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def _refuse_nul_characters():
    """No text a person types contains NUL, and PostgreSQL cannot store it in a text column:
    refuse it at the door, for every endpoint, instead of failing deep in a query."""
    if not request.path.startswith("/api/"):
        return
    query = request.args
    if any(_contains_nul(key) or _contains_nul(values)
           for key, values in query.lists()):
        raise APIError("请求中含有不允许的字符", slug="invalid_characters", status=422)
    if request.is_json and _contains_nul(request.get_json(silent=True)):
        raise APIError("请求中含有不允许的字符", slug="invalid_characters", status=422)


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record):
    # SQLite ignores foreign keys unless asked, per connection; PostgreSQL always checks.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def init_app(app, api):
    app.url_map.converters["id"] = IdConverter
    api.register_converter(IdConverter, _id_schema)
    app.before_request(_require_json)
    app.before_request(_refuse_nul_characters)
    if app.config.get("OPENAPI_URL_PREFIX"):
        app.register_blueprint(docs_assets)
