"""Signing in to the console: every demo staff account lands on its own work; a wrong
password is refused in Chinese; logging out revokes the session; the API needs no CSRF."""
from server.extensions import db
from server.models import AuthSession, Staff
from server.services.demo import STAFF

LANDING = {"committee": ("/console/reports", "群众反映"),
           "street": ("/console/overview", "概览"),
           "district": ("/console/overview", "概览"),
           "city": ("/console/overview", "概览")}


def test_every_demo_account_lands_on_its_own_work(console):
    page = console.page
    for username, display_name, role, _ in STAFF:
        console.login(username)
        path, heading = LANDING[role]
        assert page.url == console.base_url + path, username
        assert heading in page.locator("h1").inner_text(), username
        assert display_name in page.locator("header").inner_text()
        console.shot(f"landing-{username}")
        page.get_by_role("button", name="退出登录").click()


def test_a_wrong_password_is_refused_in_chinese(console):
    page = console.login("xh-tp-r01", "not-the-password")
    assert page.url.endswith("/console/login")
    assert page.get_by_role("alert").inner_text() == "用户名或密码错误"


def test_logging_out_revokes_the_session(console):
    page = console.login("xh-tp-r01")
    page.get_by_role("button", name="退出登录").click()
    assert page.url.endswith("/console/login")
    staff = db.session.execute(db.select(Staff).filter_by(username="xh-tp-r01")).scalar_one()
    sessions = db.session.execute(db.select(AuthSession).filter_by(staff_id=staff.id)).scalars()
    assert [s.revoked_at is not None for s in sessions] == [True]
    db.session.remove()
    console.goto("/console/reports")
    assert page.url.startswith(console.base_url + "/console/login")


def test_the_session_cookie_is_httponly_and_samesite_lax(console):
    console.login("xh-tp-r01")
    cookie = next(c for c in console.page.context.cookies() if c["name"] == "session")
    assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Lax")


def test_the_api_takes_posts_without_a_csrf_token(client, demo_org):
    answer = client.post("/api/v1/auth/staff-login",
                         json={"username": "xh-tp-r01", "password": "demo-pass-2026"})
    assert answer.status_code == 200
    assert answer.get_json()["token"]


def test_a_console_post_without_a_csrf_token_is_refused_before_anything_runs(client, demo_org):
    answer = client.post("/console/login", data={"username": "xh-tp-r01",
                                                 "password": "demo-pass-2026"})
    assert answer.status_code == 400
    assert "安全校验" in answer.get_data(as_text=True)
    assert db.session.execute(db.select(AuthSession)).first() is None
