"""A street issues a rectification order, the committee answers with a photo, the street sends
it back once, the committee answers again and the street passes it."""
import io
from datetime import timedelta

from PIL import Image
from playwright.sync_api import expect

from server.extensions import db
from server.models import Rectification
from server.models.base import utcnow
from server.services import clock


def _jpeg(path):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 120, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _act(page, action, note, button):
    form = page.locator(f"#order-{action}")
    form.locator("textarea").fill(note)
    form.get_by_role("button", name=button).click()


def test_street_issues_committee_answers_street_returns_once_then_passes(
        console, second_console, tmp_path):
    street = second_console.login("xh-tp-street")
    street.get_by_role("link", name="整改意见").click()
    street.get_by_role("link", name="下发整改意见").click()
    street.get_by_label("小区").select_option(label="建业里（建业里居民区）")
    street.get_by_label("标题").fill("楼道堆物清理")
    street.get_by_label("整改要求").fill("2号楼、5号楼楼道堆物一周内清理完毕，并建立巡查制度。")
    street.get_by_label("标准领域").select_option("S5")
    deadline = clock.local_date(utcnow()) + timedelta(days=7)
    street.get_by_label("整改期限").fill(deadline.isoformat())
    street.get_by_role("button", name="下发").click()
    expect(street.locator("#order-status")).to_have_text("待整改")
    order_id = int(street.url.rsplit("/", 1)[1])

    committee = console.login("xh-tp-r01")
    committee.get_by_role("link", name="整改意见").click()
    committee.locator(f"tr[data-order-id='{order_id}'] a").click()
    committee.get_by_label("整改照片（可选，最多 9 张）").set_input_files(
        _jpeg(tmp_path / "cleared.jpg"))
    _act(committee, "answer", "已清理2号楼堆物。", "提交整改情况")
    expect(committee.locator("#order-status")).to_have_text("已答复待核查")

    street.reload()
    _act(street, "return", "5号楼仍有堆物，请一并清理。", "退回重新整改")
    expect(street.locator("#order-status")).to_have_text("已退回")

    committee.reload()
    _act(committee, "answer", "5号楼堆物已清理，巡查制度已上墙。", "提交整改情况")
    expect(committee.locator("#order-status")).to_have_text("已答复待核查")

    street.reload()
    _act(street, "pass", "已现场核查。", "核查通过")
    expect(street.locator("#order-status")).to_have_text("已通过")
    expect(street.locator("#order-timeline > li")).to_have_count(5)
    expect(street.locator("#order-timeline img[alt^='整改照片']")).to_have_count(1)
    second_console.shot("street-rectification-passed")

    order = db.session.get(Rectification, order_id)
    assert [e.action for e in order.events] == ["issue", "answer", "return", "answer", "pass"]
    assert (order.status, order.answer) == ("passed", "5号楼堆物已清理，巡查制度已上墙。")
    db.session.remove()


def test_an_order_with_missing_fields_is_refused_with_chinese_reasons(console):
    page = console.login("xh-tp-street")
    console.goto("/console/rectifications/new")
    page.get_by_label("标题").fill("缺少期限和领域")
    page.get_by_label("整改要求").fill("内容")
    page.locator("#deadline").evaluate("input => input.removeAttribute('required')")
    page.get_by_role("button", name="下发").click()
    expect(page.locator(".flash-error")).to_contain_text("整改期限")
    assert db.session.execute(db.select(Rectification)).first() is None
    db.session.remove()


def test_a_committee_cannot_issue_an_order(console):
    page = console.login("xh-tp-r01")
    response = console.goto("/console/rectifications/new")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("没有权限")
