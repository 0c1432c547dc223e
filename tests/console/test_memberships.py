"""A committee approves and rejects residents' applications in place (htmx)."""
from playwright.sync_api import expect

from server.extensions import db
from server.models import Community, Membership, Notification, Resident


def _apply(openid, community_code, building, room):
    community = db.session.execute(db.select(Community).filter_by(code=community_code)
                                   ).scalar_one()
    resident = Resident(openid=openid, nickname="申请人")
    membership = Membership(resident=resident, community=community, building=building,
                            unit="1", room=room, status="pending")
    db.session.add_all([resident, membership])
    db.session.commit()
    membership_id = membership.id
    db.session.remove()
    return membership_id


def test_committee_approves_and_rejects_applications_in_place(console):
    in_register = _apply("applicant-1", "XH-TP-001", "1", "101")
    not_in_register = _apply("applicant-2", "XH-TP-001", "99", "999")
    page = console.login("xh-tp-r01")
    page.get_by_role("link", name="入住审核").click()
    first = page.locator(f"#membership-{in_register}")
    second = page.locator(f"#membership-{not_in_register}")
    assert "在册" in first.inner_text() and "不在册" in second.inner_text()

    first.get_by_role("button", name="通过", exact=True).click()
    expect(first.locator(".membership-status")).to_have_text("已通过")
    second.get_by_role("button", name="不通过").click()
    expect(second.get_by_role("alert")).to_have_text("请填写不通过的原因")
    second.get_by_label("不通过的原因").fill("门牌号不在本小区登记范围内")
    second.get_by_role("button", name="不通过").click()
    expect(second.locator(".membership-status")).to_have_text("未通过：门牌号不在本小区登记范围内")
    console.shot("committee-memberships")

    decided = {m.id: (m.status, m.reason) for m in db.session.execute(
        db.select(Membership).where(Membership.id.in_([in_register, not_in_register]))).scalars()}
    assert decided == {in_register: ("approved", ""),
                       not_in_register: ("rejected", "门牌号不在本小区登记范围内")}
    told = db.session.execute(db.select(Notification.kind)).scalars().all()
    assert told.count("membership_decided") == 2
    db.session.remove()


def test_another_committee_neither_sees_nor_decides_the_application(console):
    membership_id = _apply("applicant-3", "XH-TP-001", "1", "102")
    page = console.login("xh-tp-r02")
    page.get_by_role("link", name="入住审核").click()
    assert page.locator(f"#membership-{membership_id}").count() == 0
    token = page.locator("input[name=csrf_token]").first.input_value()
    answer = page.request.post(f"{console.base_url}/console/memberships/{membership_id}/decide",
                               form={"csrf_token": token, "decision": "approve"})
    assert answer.status == 404
    assert db.session.get(Membership, membership_id).status == "pending"
    db.session.remove()
