"""Production fails closed: under gunicorn without APP_ENV the dev login is gone, unsafe
settings stop the server, the docs are not served, HSTS is sent, Redis must answer at start,
and the access log keeps no query strings."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from config import ProductionConfig, SettingsError
from server import create_app, queues
from server.extensions import db as _db
from tests.conftest import TEST_DATABASE_URL
from tests.test_config import SAFE_PRODUCTION

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
# The variables a developer's shell or CI may have set that would change what gunicorn loads.
SCRUBBED = ("APP_ENV", "DEV_LOGIN", "FLASK_DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL",
            "TEST_DATABASE_URL")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn(env, log):
    port = _free_port()
    base = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    base.update(env, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", GUNICORN_THREADS="2")
    process = subprocess.Popen([str(GUNICORN), "-c", "config/gunicorn.conf.py",
                                "server:create_app()"], cwd=ROOT, env=base, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    return process, f"http://127.0.0.1:{port}"


def _wait_until_serving(process, url):
    """Poll until gunicorn answers or exits; the answer is what the test is about, not speed."""
    for _ in range(600):
        if process.poll() is not None:
            return False
        try:
            requests.get(url + "/api/v1/me", timeout=2)
            return True
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    return False


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_gunicorn_without_app_env_refuses_laptop_settings(tmp_path):
    """The README's gunicorn command with DEV_LOGIN on and no APP_ENV: production, refused."""
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        process, url = _gunicorn({"DEV_LOGIN": "1",
                                  "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, log)
        try:
            serving = _wait_until_serving(process, url)
        finally:
            _stop(process)
    output = log_path.read_text()
    assert not serving
    assert process.returncode != 0
    assert "DEV_LOGIN must be off in production" in output


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="production refuses SQLite: PostgreSQL only")
def test_gunicorn_without_app_env_serves_production(database, redis_url, tmp_path):
    """With production's settings but no APP_ENV, the dev login does not exist and neither do
    the docs; HSTS is sent and the access log has no query strings."""
    log_path = tmp_path / "gunicorn.log"
    env = {k: v for k, v in SAFE_PRODUCTION.items() if k != "APP_ENV"}
    env.update(DATABASE_URL=database[0], REDIS_URL=redis_url, UPLOAD_DIR=str(tmp_path))
    with open(log_path, "w") as log:
        process, url = _gunicorn(env, log)
        try:
            assert _wait_until_serving(process, url), log_path.read_text()
            dev = requests.post(url + "/api/v1/auth/dev-login", json={"openid": "anyone"})
            docs = requests.get(url + "/api/openapi.json")
            me = requests.get(url + "/api/v1/me?signature=SIGNATURE-IN-QUERY")
        finally:
            _stop(process)
    assert dev.status_code == 404 and "token" not in dev.text
    assert docs.status_code == 404
    assert me.status_code == 401
    assert me.headers["Strict-Transport-Security"].startswith("max-age=")
    output = log_path.read_text()
    assert "/api/v1/me" in output and "SIGNATURE-IN-QUERY" not in output


def test_gunicorn_access_log_keeps_no_query_string(database, redis_url, tmp_path):
    log_path = tmp_path / "gunicorn.log"
    env = {"APP_ENV": "testing", "DATABASE_URL": database[0], "REDIS_URL": redis_url,
           "UPLOAD_DIR": str(tmp_path)}
    if database[1] is not None:  # SQLite: a copy of the migrated template
        env["DATABASE_URL"] = f"sqlite:///{database[1]}"
    with open(log_path, "w") as log:
        process, url = _gunicorn(env, log)
        try:
            assert _wait_until_serving(process, url), log_path.read_text()
            response = requests.get(url + "/api/v1/uploads/1/file?t=PHOTO-LINK-TOKEN")
        finally:
            _stop(process)
    output = log_path.read_text()
    assert response.status_code in (401, 403, 404)
    assert "/api/v1/uploads/1/file" in output and "PHOTO-LINK-TOKEN" not in output


def _production(url, **extra):
    return ProductionConfig({**SAFE_PRODUCTION, "DATABASE_URL": url, **extra})


def test_production_refuses_to_start_when_redis_does_not_answer(app):
    config = _production(app.config["SQLALCHEMY_DATABASE_URI"],
                         REDIS_URL="redis://127.0.0.1:1/0")
    with pytest.raises(SettingsError, match="REDIS_URL does not answer"):
        create_app(config)


def test_production_hides_the_docs_and_sends_safety_headers(app, redis_url):
    production = create_app(_production(app.config["SQLALCHEMY_DATABASE_URI"],
                                        REDIS_URL=redis_url))
    try:
        client = production.test_client()
        for path in ("/api/openapi.json", "/api/docs", "/api/docs/static/swagger-ui.css"):
            assert client.get(path).status_code == 404, path
        response = client.get("/api/v1/me")
        assert response.status_code == 401
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    finally:
        with production.app_context():
            _db.session.remove()
            _db.engine.dispose()
        queues.broker(production).close()


def test_development_and_tests_serve_the_docs_without_hsts(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers
