"""Staff notifications: a street sees a committee's answer to its rectification order arrive
in the header while its page stays open, and follows it to the order."""
from datetime import timedelta

from playwright.sync_api import expect

from server.extensions import db
from server.auth import Actor
from server.models import Community, Report, Staff, StaffNotification
from server.models.base import utcnow
from server.services import clock, rectifications
from server.services.reports import sla
from tests.builders import make_member

POLL_WAIT_MS = 20000  # a few polling rounds of the header's unread count


def _order_for_jianyeli():
    street = db.session.execute(db.select(Staff).filter_by(username="xh-tp-street")).scalar_one()
    community = db.session.execute(db.select(Community).filter_by(code="XH-TP-001")).scalar_one()
    order = rectifications.issue(Actor(staff=street), {
        "community_id": community.id, "title": "垃圾箱房整治", "requirement": "湿垃圾桶满溢，需增加清运。",
        "area": "S6", "report_ids": [], "deadline": clock.local_date(utcnow()) + timedelta(3)})
    order_id = order.id
    db.session.remove()
    return order_id


def _committee_answers(console, order_id, text):
    page = console.login("xh-tp-r01")
    console.goto(f"/console/rectifications/{order_id}")
    answer = page.locator("#order-answer")
    answer.locator("textarea").fill(text)
    answer.get_by_role("button", name="提交整改情况").click()
    expect(page.locator("#order-status")).to_have_text("已答复待核查")


def test_a_street_sees_the_committees_answer_without_reloading(console, second_console):
    order_id = _order_for_jianyeli()
    street = second_console.login("xh-tp-street")
    expect(street.locator("#unread-count")).to_have_count(0)

    _committee_answers(console, order_id, "已增加每日清运一次，垃圾箱房已清洗。")

    # The street's page was not reloaded: the header polls for the unread count.
    expect(street.locator("#unread-count")).to_have_text("1", timeout=POLL_WAIT_MS)
    second_console.shot("street-notification-arrived")
    street.locator("#inbox-link").click()
    message = street.locator("#staff-inbox li").first
    expect(message).to_contain_text("建业里已答复整改意见")
    expect(message).to_contain_text("已增加每日清运一次")
    message.get_by_role("link").click()
    assert street.url.endswith(f"/console/rectifications/{order_id}")
    expect(street.locator("#unread-count")).to_have_count(0)

    read = db.session.execute(db.select(StaffNotification)).scalars().all()
    assert [(n.staff.username, n.read_at is not None) for n in read] == [("xh-tp-street", True)]
    db.session.remove()


def test_a_staff_member_cannot_open_anothers_message(console, second_console):
    order_id = _order_for_jianyeli()
    _committee_answers(console, order_id, "已整改")
    message_id = db.session.execute(db.select(StaffNotification.id)).scalar_one()
    db.session.remove()

    other_street = second_console.login("xh-hj-street")
    assert second_console.goto(f"/console/notifications/{message_id}").status == 404
    expect(other_street.locator("h1")).to_have_text("未找到")
    assert db.session.get(StaffNotification, message_id).read_at is None
    db.session.remove()


def test_a_committee_is_told_of_a_new_report_and_a_street_of_an_escalated_one(api, demo_org):
    """The two other staff messages, through the services that write them."""
    community = db.session.execute(db.select(Community).filter_by(code="XH-TP-001")).scalar_one()
    make_member(community, openid="reporter-x")
    filed = api.as_resident("reporter-x").post("/api/v1/reports", json={
        "category_id": 1, "description": "3号楼门口井盖缺失", "building": "3号楼"})
    assert filed.status_code == 201, filed.json
    report = db.session.get(Report, filed.json["id"])
    sla.scan(now=report.accept_due_at + timedelta(hours=1))
    inbox = {(n.staff.username, n.kind) for n in db.session.execute(
        db.select(StaffNotification)).scalars()}
    assert ("xh-tp-r01", "report_filed") in inbox
    assert ("xh-tp-street", "report_escalated") in inbox
    assert not any(user == "xh-tp-r02" for user, _ in inbox)
