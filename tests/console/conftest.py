"""Browser tests of the staff console: the app runs on the suite's real test database (SQLite
or PostgreSQL) in a werkzeug server thread on 127.0.0.1 (`live_server`, tests/live_server.py),
and Chromium from the distribution's package (/usr/bin/chromium) drives it through Playwright.
Each flow saves a screenshot under build/console/ for a reviewer. Without /usr/bin/chromium
these tests are skipped."""
import functools
import os
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from server.extensions import db
from server.services import demo
from tests.live_server import live_server  # noqa: F401 (fixture)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]
SHOTS = Path(__file__).resolve().parents[2] / "build" / "console"
PASSWORD = demo.DEMO_PASSWORD


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-wqy-zenhei): "
                    "the console's browser tests need it")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@functools.cache
def _demo_hash(password):
    return generate_password_hash(password)


@pytest.fixture
def demo_org(app, monkeypatch):
    """The demo of `make run`: org tree, staff of every level, reports, surveys, framework.
    The one demo password is hashed once per run, not once per account and test."""
    monkeypatch.setattr(demo, "generate_password_hash", _demo_hash)
    demo.seed()
    db.session.commit()
    db.session.remove()  # the server thread writes next; hold no transaction open


class Console:
    """One browser tab signed in (or not) to the console, with a screenshot per flow."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url

    def login(self, username, password=PASSWORD):
        page = self.page
        page.goto(self.base_url + "/console/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        return page

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        return response

    def shot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def flash(self):
        return self.page.locator(".flash").all_inner_texts()


@pytest.fixture
def console(browser, live_server, demo_org):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield Console(page, live_server)
    context.close()


@pytest.fixture
def second_console(browser, live_server, demo_org):
    """Another signed-in person at the same time (a street while the committee works)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield Console(page, live_server)
    context.close()
