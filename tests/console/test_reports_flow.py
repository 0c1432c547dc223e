"""A committee works a report from new to resolved in the browser; scope and CSRF hold."""
import io

from PIL import Image
from playwright.sync_api import expect

from server.extensions import db
from server.models import Community, Photo, Report, ReportEvent

URGENCY_ORDER = {"overdue": 0, "nearly": 1, "running": 2, "none": 3}


def _demo_report(description_start):
    report = db.session.execute(db.select(Report).where(
        Report.description.startswith(description_start))).scalar_one()
    db.session.remove()
    return report.id


def _jpeg(path):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 160, 90)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_committee_handles_a_report_from_new_to_resolved_with_an_after_photo(console, tmp_path):
    page = console.login("xh-tp-r01")
    assert page.url.endswith("/console/reports")
    urgencies = [cls.split("urgency-")[1] for cls in
                 page.locator("#inbox tbody tr").evaluate_all("rows => rows.map(r => r.className)")]
    assert urgencies == sorted(urgencies, key=URGENCY_ORDER.get), urgencies
    assert page.locator("#inbox .clock-label").first.inner_text() == "先行联系"
    console.shot("committee-inbox")

    report_id = _demo_report("2号楼3单元楼道堆放")
    page.locator(f"#inbox tr[data-report-id='{report_id}'] a").click()
    expect(page.locator("#report-status")).to_have_text("待受理")

    page.locator("#action-accept").get_by_role("button", name="受理").click()
    expect(page.locator("#report-status")).to_have_text("已受理")
    page.locator("#action-contact").get_by_role("button", name="已先行联系").click()
    expect(page.locator("#report-status")).to_have_text("已联系")
    assign = page.locator("#action-assign")
    assign.get_by_label("处理方").select_option(label="物业")
    assign.get_by_label("处理人").fill("物业 李师傅")
    assign.get_by_role("button", name="指派处理").click()
    expect(page.locator("#report-status")).to_have_text("处理中")

    resolve = page.locator("#action-resolve")
    resolve.get_by_label("办结答复").fill("杂物已清理，楼道恢复通畅。")
    resolve.get_by_label("办结照片（至少 1 张，最多 9 张）").set_input_files(
        str(_jpeg(tmp_path / "after.jpg")))
    resolve.get_by_role("button", name="办结", exact=True).click()
    expect(page.locator("#report-status")).to_have_text("已办结")
    expect(page.locator(".flash-success")).to_have_text("已办结")
    after = page.locator("#timeline img[alt^='办理照片']")
    assert after.count() == 1
    assert after.evaluate("img => img.complete && img.naturalWidth > 0")
    console.shot("committee-report-resolved")

    report = db.session.get(Report, report_id)
    assert (report.status, report.reply) == ("resolved", "杂物已清理，楼道恢复通畅。")
    resolve_event = db.session.execute(db.select(ReportEvent).filter_by(
        report_id=report_id, action="resolve")).scalar_one()
    photos = db.session.execute(db.select(Photo).filter_by(event_id=resolve_event.id)).scalars()
    assert len(list(photos)) == 1
    db.session.remove()


def test_resolving_without_a_photo_is_refused_and_changes_nothing(console):
    page = console.login("xh-tp-r01")
    report_id = _demo_report("5号楼东侧消防通道")
    console.goto(f"/console/reports/{report_id}")
    resolve = page.locator("#action-resolve")
    resolve.get_by_label("办结答复").fill("已处理")
    # The browser would insist on the file first; a crafted post skips that check.
    resolve.locator("input[type=file]").evaluate("input => input.removeAttribute('required')")
    resolve.get_by_role("button", name="办结", exact=True).click()
    expect(page.locator(".flash-error")).to_contain_text("请填写办结照片")
    expect(page.locator("#report-status")).to_have_text("处理中")
    assert db.session.get(Report, report_id).status == "in_progress"
    db.session.remove()


def test_a_committee_cannot_open_another_committees_report(console):
    report_id = _demo_report("2号楼3单元楼道堆放")  # 建业里, committee XH-TP-R01
    page = console.login("xh-tp-r02")
    response = console.goto(f"/console/reports/{report_id}")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "未找到"
    assert "不在您的管辖范围内" in page.locator("main").inner_text()
    assert "楼道堆放" not in page.content()
    console.shot("committee-foreign-report-404")


def test_a_form_posted_without_the_csrf_token_is_refused(console):
    report_id = _demo_report("2号楼3单元楼道堆放")
    page = console.login("xh-tp-r01")
    console.goto(f"/console/reports/{report_id}")
    form = page.locator("#action-accept")
    form.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="受理").click()
    assert answer.value.status == 400
    expect(page.locator("h1")).to_have_text("表单安全校验失败")
    console.shot("csrf-refused")
    assert db.session.get(Report, report_id).status == "submitted"
    db.session.remove()


def test_committee_asks_for_more_days_and_the_street_grants_them(console, second_console):
    report_id = _demo_report("5号楼东侧消防通道")
    before = db.session.get(Report, report_id).resolve_due_at
    db.session.remove()
    committee = console.login("xh-tp-r01")
    console.goto(f"/console/reports/{report_id}")
    ask = committee.locator("#action-request_extension")
    ask.get_by_label("延期天数（工作日）").fill("3")
    ask.get_by_label("延期理由").fill("需物业采购新的隔离桩")
    ask.get_by_role("button", name="申请延期").click()
    expect(committee.locator(".flash-success")).to_have_text("已申请延期")
    expect(committee.locator("#action-request_extension")).to_have_count(0)

    street = second_console.login("xh-tp-street")
    street.get_by_role("link", name="群众反映").click()
    street.locator(f"#inbox tr[data-report-id='{report_id}'] a").click()
    expect(street.get_by_text("待街道审批的延期申请：3 个工作日")).to_be_visible()
    street.locator("#action-approve_extension").get_by_role("button", name="同意延期").click()
    expect(street.locator(".flash-success")).to_have_text("已同意延期")
    second_console.shot("street-extension-approved")
    assert db.session.get(Report, report_id).resolve_due_at > before
    db.session.remove()


def test_a_street_narrows_its_inbox_to_one_community(console):
    page = console.login("xh-tp-street")
    page.get_by_role("link", name="群众反映").click()
    page.get_by_role("link", name="全部", exact=True).click()
    assert page.locator("#inbox tbody tr[data-report-id]").count() == 5
    page.get_by_label("小区").select_option(label="高安公寓")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#inbox tbody tr")).to_have_text("暂无反映")
    page.get_by_label("小区").select_option(label="建业里")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#inbox tbody tr[data-report-id]")).to_have_count(5)
    # A community outside the scope narrows to nothing: the scope still applies.
    far = db.session.execute(db.select(Community.id).filter_by(code="JA-CJ-001")).scalar_one()
    db.session.remove()
    console.goto(f"/console/reports?tab=all&community={far}")
    expect(page.locator("#inbox tbody tr")).to_have_text("暂无反映")


def test_the_console_is_usable_with_the_keyboard_alone(console):
    page = console.page
    console.goto("/console/login")
    assert page.evaluate("document.activeElement.id") == "username"  # focused on arrival
    page.keyboard.type("xh-tp-r01")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-pass-2026")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("群众反映")
    page.locator("#inbox a").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("反映 #")
