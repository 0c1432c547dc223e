"""A committee imports a register: a file with one bad row is shown and writes nothing; a good
file is previewed, confirmed and written; the register exports as XLSX."""
import io
from pathlib import Path

from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from server.extensions import db
from server.models import Community, Household


def _xlsx(path, rows):
    book = Workbook()
    book.active.append(["楼号", "单元", "室号"])
    for row in rows:
        book.active.append(row)
    book.save(path)
    return str(path)


def _register_size(code="XH-TP-001"):
    community = db.session.execute(db.select(Community).filter_by(code=code)).scalar_one()
    size = db.session.execute(db.select(db.func.count(Household.id)).filter_by(
        community_id=community.id)).scalar_one()
    db.session.remove()
    return size


def _upload(page, path):
    page.get_by_label("小区").select_option(label="建业里")
    page.get_by_label("户籍文件（.xlsx 或 .csv）").set_input_files(path)
    page.get_by_role("button", name="上传并预览").click()


def test_committee_imports_a_register_after_a_file_with_one_bad_row(console, tmp_path):
    before = _register_size()
    page = console.login("xh-tp-r01")
    page.get_by_role("link", name="户籍登记").click()
    bad = _xlsx(tmp_path / "bad.xlsx", [["7号楼", "1", "101"], ["7号楼", "1", None],
                                        ["7号楼", "2", "201"]])
    _upload(page, bad)
    expect(page.locator("#import-summary")).to_have_text(
        "有 1 行有误，未写入任何数据。请修改文件后重新上传。")
    expect(page.locator("#bad-rows tbody")).to_have_text("第 3 行缺少室号")
    assert page.get_by_role("button", name="确认导入").count() == 0
    console.shot("committee-register-import-bad-row")
    assert _register_size() == before

    page.get_by_role("link", name="返回重新上传").click()
    good = _xlsx(tmp_path / "good.xlsx", [["7号楼", "1", "101"], ["7号楼", "1", "102"],
                                          ["1号楼", "1", "101"]])
    _upload(page, good)
    expect(page.locator("#import-summary")).to_have_text(
        "检查通过：将新增 2 户，已存在 1 户（不会重复登记）。")
    assert _register_size() == before  # a preview writes nothing
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".flash-success")).to_have_text("已导入建业里户籍：新增 2 户，已存在 1 户")
    expect(page.locator("tr[data-community='XH-TP-001'] .register-size")).to_have_text(
        str(before + 2))
    console.shot("committee-register-imported")
    assert _register_size() == before + 2

    with page.expect_download() as download:
        page.locator("tr[data-community='XH-TP-001']").get_by_role("link").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("楼号", "单元", "室号") and ("7", "1", "102") in rows
    assert len(rows) == before + 3


def test_confirming_without_a_previewed_file_writes_nothing(console):
    before = _register_size()
    page = console.login("xh-tp-r01")
    page.get_by_role("link", name="户籍登记").click()
    token = page.locator("input[name=csrf_token]").first.input_value()
    answer = page.request.post(f"{console.base_url}/console/households/confirm",
                               form={"csrf_token": token, "community_id": "1"})
    assert answer.ok and "没有待确认的导入文件" in answer.text()
    assert _register_size() == before


def test_another_committees_community_cannot_be_imported_into(console, tmp_path):
    far = db.session.execute(db.select(Community).filter_by(code="JA-CJ-001")).scalar_one().id
    db.session.remove()
    before = _register_size("JA-CJ-001")
    page = console.login("xh-tp-r01")
    page.get_by_role("link", name="户籍登记").click()
    token = page.locator("input[name=csrf_token]").first.input_value()
    path = _xlsx(tmp_path / "far.xlsx", [["99号楼", "1", "101"]])
    answer = page.request.post(f"{console.base_url}/console/households/preview", multipart={
        "csrf_token": token, "community_id": str(far),
        "file": {"name": "far.xlsx", "mimeType": "application/octet-stream",
                 "buffer": Path(path).read_bytes()}})
    assert answer.status == 404
    assert _register_size("JA-CJ-001") == before
