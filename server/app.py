"""The application factory: a flat list of init_app calls and blueprint registrations."""
import logging
from pathlib import Path

from flask import Flask

from config import BaseConfig, load_config
from server import api as api_package
from server import cli, console, errors, queues, storage, wechat
from server.extensions import api, db, migrate, remove_request_session
from server.http import init_app as init_http
from server.services import outbox

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config=None):
    """`config` is a settings object (config.BaseConfig), a dict of overrides on top of the
    environment's settings, or None for the environment's settings alone."""
    settings = _settings(config)
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(settings)
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    _ensure_sqlite_folder(app)

    db.init_app(app)
    app.teardown_request(remove_request_session)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    init_http(app, api)  # before api.init_app: the id converter must exist for blueprints
    api.init_app(app, spec_kwargs=_spec_kwargs())
    queues.init_app(app)  # before wechat: the access token is kept in Redis
    outbox.init_app(app)
    wechat.init_app(app)
    storage.init_app(app)
    errors.init_app(app)  # after api.init_app: replaces flask-smorest's own error handler
    api_package.init_app(app, api)
    console.init_app(app)  # the staff console under /console (server-rendered)
    cli.init_app(app)
    return app


def _settings(config):
    if isinstance(config, BaseConfig):
        return config.as_dict()
    settings = load_config().as_dict()
    settings.update(config or {})
    return settings


def _spec_kwargs():
    return {
        "components": {"securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer",
                           "description": "POST /api/v1/auth/* 返回的 token"}}},
        "info": {"description": "居民端（微信小程序）与工作人员使用的接口。所有错误均为 "
                                "{error, message, details} 结构。"},
    }


def _ensure_sqlite_folder(app):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and uri != "sqlite:///:memory:":
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
