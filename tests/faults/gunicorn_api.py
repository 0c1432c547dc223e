"""The API under gunicorn (config/gunicorn.conf.py) on a private port, called over HTTP as a
phone or the console would."""
import requests

from tests.builders import PASSWORD
from tests.faults.procs import free_port, wait_until


class Api:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def call(self, method, path, token=None, timeout=30, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.base + path, headers=headers, timeout=timeout,
                                **kwargs)

    def up(self):
        try:
            return self.call("GET", "/api/v1/health/ready", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def resident(self, openid):
        response = self.call("POST", "/api/v1/auth/dev-login", json={"openid": openid})
        assert response.status_code == 200, response.text
        return response.json()["token"]

    def staff(self, username):
        response = self.call("POST", "/api/v1/auth/staff-login",
                             json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return response.json()["token"]


def start_api(faults, threads=8, **env):
    port = free_port()
    server = faults.processes.gunicorn(port, threads=threads, **env)
    api = Api(port)
    wait_until(api.up, 90, "gunicorn to serve", logs=(server,))
    return api, server


def is_json(response):
    return response.headers.get("Content-Type", "").startswith("application/json")
