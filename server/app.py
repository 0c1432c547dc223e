"""The application factory: a flat list of init_app calls and blueprint registrations."""
import logging
import os
from pathlib import Path

from flask import Flask

from config import BaseConfig, load_config
from server import api as api_package
from server import auth, cli, console, dbconn, errors, queues, security, storage, wechat
from server.api.links import LinksPlugin
from server.extensions import api, db, migrate
from server.http import init_app as init_http
from server.services import outbox

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config=None):
    """`config` is a settings object (config.BaseConfig), a dict of overrides on top of the
    environment's settings, or None for the environment's settings alone."""
    settings = _settings(config)
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(settings)
    # UTF-8 JSON, not \u escapes: a person reading a raw answer (an error body, a log of
    # one) reads Chinese. JSON is UTF-8 by definition, so clients lose nothing.
    app.json.ensure_ascii = False
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    _ensure_sqlite_folder(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    auth.init_app(app)  # first before_request: who may call comes before what they sent
    init_http(app, api)  # before api.init_app: the id converter must exist for blueprints
    api.init_app(app, spec_kwargs=_spec_kwargs())
    queues.init_app(app)  # before wechat: the access token is kept in Redis
    if app.config["APP_ENV"] == "production":
        security.check_redis(queues.broker(app))
    security.init_app(app)
    outbox.init_app(app)
    wechat.init_app(app)
    storage.init_app(app)
    errors.init_app(app)  # after api.init_app: replaces flask-smorest's own error handler
    dbconn.init_app(app)  # the session's teardown, and a lost database as a JSON 503
    api_package.init_app(app, api)
    console.init_app(app)  # the staff console under /console (server-rendered)
    cli.init_app(app)
    return app


def _settings(config):
    if isinstance(config, BaseConfig):
        return config.as_dict()
    environ = dict(os.environ)
    if config and "APP_ENV" in config:
        # Overrides that name their environment (tests, benchmarks) start from its defaults.
        environ["APP_ENV"] = config["APP_ENV"]
    settings = load_config(environ).as_dict()
    settings.update(config or {})
    return settings


def _spec_kwargs():
    return {
        "components": {"securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer",
                           "description": "POST /api/v1/auth/* 返回的 token"}}},
        "info": {"description": "居民端（微信小程序）与工作人员使用的接口。所有错误均为 "
                                "{error, message, details} 结构。"},
        # OpenAPI links between operations (server/api/links.py).
        "extra_plugins": [LinksPlugin()],
    }


def _ensure_sqlite_folder(app):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and uri != "sqlite:///:memory:":
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
