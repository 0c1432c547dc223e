"""A street reads its committees' handling figures for one month, as a chart and a table, and
exports them as XLSX with the same numbers the figures service computes."""
import io
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from server.extensions import db
from server.models import Community, OrgUnit
from server.models.base import utcnow
from server.services import clock
from server.services.reports import figures

SHOWN = ("first_contact_on_time", "resolved_on_time", "fixed_rate", "satisfaction",
         "rework_rate")


def _expected(month_start):
    until = (month_start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    area = db.session.execute(db.select(OrgUnit).filter_by(code="XH-TP-R01")).scalar_one()
    street = area.parent
    per_area = figures.grouped(Community.street_id == street.id, month_start, until,
                               "residential_area")
    values = [per_area[area.id].figures[code].value for code in SHOWN]
    db.session.remove()
    return values


def test_street_reads_one_months_figures_as_a_chart_and_exports_them(console):
    page = console.login("xh-tp-street")
    assert page.url.endswith("/console/overview")
    month_start = clock.local_date(utcnow()).replace(day=1)
    month = month_start.strftime("%Y-%m")
    page.get_by_label("统计月份").fill(month)
    page.get_by_role("button", name="查看").click()
    expect(page.locator("#figures-chart")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#figures-chart svg rect").first).to_be_visible()
    row = page.locator("#figures-table tbody tr", has_text="建业里居民区")
    expected = _expected(month_start)
    shown = row.locator("td").all_inner_texts()[5:]
    assert shown == ["无数据" if v is None else f"{v * 100:.1f}%" for v in expected]
    expect(page.locator("#trend-chart")).to_have_attribute("data-rendered", "true")
    trend = page.locator("#trend-table tbody tr", has_text="建业里居民区").locator("td")
    assert trend.last.inner_text() == shown[1]  # this month's 按时办结率, the default trend
    assert trend.count() == 6
    console.shot("street-overview-figures")

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename == f"办理情况-{month}.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    assert rows["居民区"][6:] == ("先行联系率", "按时办结率", "实际解决率", "满意率", "返工率")
    assert list(rows["建业里居民区"][6:]) == expected


def test_the_trend_follows_the_chosen_figure(console):
    page = console.login("xh-tp-street")
    page.get_by_label("趋势指标").select_option(label="先行联系率")
    page.get_by_role("button", name="切换").click()
    expect(page.locator("#trend-title")).to_have_text("近 6 个月趋势：先行联系率（%）")
    row = page.locator("#figures-table tbody tr", has_text="建业里居民区")
    trend = page.locator("#trend-table tbody tr", has_text="建业里居民区").locator("td")
    assert trend.last.inner_text() == row.locator("td").all_inner_texts()[5]


def test_another_month_without_reports_reads_as_no_data(console):
    page = console.login("xh-tp-street")
    console.goto("/console/overview?month=2020-01")
    row = page.locator("#figures-table tbody tr", has_text="建业里居民区")
    assert row.locator("td").all_inner_texts()[5:] == ["无数据"] * 5
    assert page.get_by_label("统计月份").input_value() == "2020-01"


def test_a_committee_cannot_open_the_overview(console):
    console.login("xh-tp-r01")
    assert console.goto("/console/overview").status == 403
