"""The city office loads a new version of the evaluation framework: a file whose weights do
not sum to 100 is refused with the reasons and stores nothing; a right one becomes current."""
from playwright.sync_api import expect

from server.extensions import db
from server.models import Framework
from server.services.scoring.framework import DEFAULT_FILE


def _version_file(tmp_path, version, weight_from="weight: 5,", weight_to="weight: 5,"):
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    text = text.replace('version: "SH-ILLUSTRATIVE-2021-1"', f'version: "{version}"')
    text = text.replace(weight_from, weight_to, 1)
    path = tmp_path / f"{version}.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _versions():
    versions = db.session.execute(db.select(Framework.version)).scalars().all()
    db.session.remove()
    return sorted(versions)


def test_city_loads_a_framework_version_after_a_refused_one(console, tmp_path):
    before = _versions()
    page = console.login("city-admin")
    page.get_by_role("link", name="测评体系").click()
    expect(page.locator("#versions tbody tr").first).to_contain_text("当前版本")

    page.get_by_label("测评体系文件").set_input_files(
        _version_file(tmp_path, "SH-2027-BAD", "weight: 5,", "weight: 6,"))
    page.get_by_role("button", name="导入").click()
    expect(page.locator("#framework-errors")).to_contain_text("各指标分值之和为 101，应为 100")
    assert _versions() == before

    page.get_by_label("测评体系文件").set_input_files(_version_file(tmp_path, "SH-2027-1"))
    page.get_by_role("button", name="导入").click()
    expect(page.locator(".flash-success")).to_contain_text("已导入测评体系 SH-2027-1")
    expect(page.locator("#versions tbody tr").first).to_contain_text("SH-2027-1")
    expect(page.locator("#versions tbody tr").first).to_contain_text("当前版本")
    expect(page.locator("#current-title")).to_have_text("当前版本 SH-2027-1 的指标")
    console.shot("city-framework-loaded")
    assert _versions() == sorted(before + ["SH-2027-1"])


def test_a_district_sees_the_framework_but_cannot_load_one(console, tmp_path):
    page = console.login("xh-district")
    page.get_by_role("link", name="测评体系").click()
    assert page.get_by_role("button", name="导入").count() == 0
    token = page.locator("input[name=csrf_token]").first.input_value()
    answer = page.request.post(f"{console.base_url}/console/framework", multipart={
        "csrf_token": token, "file": {"name": "x.yaml", "mimeType": "text/yaml",
                                      "buffer": b"version: X"}})
    assert answer.status == 403
