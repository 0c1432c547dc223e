"""Holidays as data owned by the city office: loading a year through the API and the CLI,
validated whole and audited; provisional deadlines until the year is loaded, then recomputed
by a real worker."""
import json
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from server.models import AuditLog, HolidayYear, OutboxMessage, Report, ReportEvent
from server.services import clock, workdays
from tests.builders import make_staff
from tests.clock import at, shanghai
from tests.jobs.worker import work
from tests.reports_helpers import ReportWorld

# Made up for the tests: NOT the State Council's 2027 schedule (none was published in any
# package when this was written; see docs/holidays.md).
TEST_2027 = {
    "year": 2027, "version": "测试数据-1", "source": "测试用，非官方安排",
    "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
    "workdays": ["2027-01-09"],
}


@pytest.fixture
def city(api, org):
    return api.as_staff(make_staff("city", "SH"))


def city_login(api):
    """A fresh login of the city fixture's account, for a test that moves the clock."""
    from server.extensions import db
    from server.models import Staff

    return api.as_staff(db.session.execute(db.select(Staff).filter_by(role="city")).scalar_one())


def count(db, model, **filters):
    return db.session.execute(db.select(db.func.count()).select_from(model)
                              .filter_by(**filters)).scalar_one()


def test_the_city_loads_a_year_audited_and_queues_the_recomputation(city, db):
    response = city.put("/api/v1/holidays/2027", json=TEST_2027)
    assert response.status_code == 200, response.json
    assert response.json["origin"] == "loaded" and response.json["loaded_by"] == "city-sh"
    assert response.json["workdays"] == ["2027-01-09"]
    entry = db.session.execute(db.select(AuditLog).filter_by(action="holidays.load")).scalar_one()
    assert entry.after["version"] == "测试数据-1" and entry.before is None
    assert db.session.execute(db.select(OutboxMessage)).scalar_one().kind == "holidays.recompute"
    assert workdays.is_working_day(date(2027, 1, 9)) and not workdays.is_working_day(
        date(2027, 1, 1))
    years = {i["year"]: i["origin"] for i in city.get("/api/v1/holidays?per_page=100").json[
        "items"]}
    assert years[2027] == "loaded"


@pytest.mark.parametrize("change, code", [
    ({"workdays": ["2026-12-26"]}, "outside_year"),
    ({"workdays": ["2027-01-02"]}, "both"),
    ({"workdays": ["2027-01-06"]}, "not_weekend"),
    ({"holidays": [{"name": "元旦", "start": "2027-01-03", "end": "2027-01-01"}]},
     "end_before_start"),
    ({"year": 2028}, "year_mismatch"),
])
def test_a_malformed_year_is_422_with_the_reason_and_changes_nothing(city, db, change, code):
    response = city.put("/api/v1/holidays/2027", json=dict(TEST_2027, **change))
    assert response.status_code == 422, response.json
    assert response.json["error"] == "invalid_holidays"
    reasons = response.json["details"]["reasons"]
    assert code in [r["code"] for r in reasons] and all(r["message"] for r in reasons)
    assert "未载入任何数据" in response.json["message"]
    assert (count(db, HolidayYear), count(db, AuditLog, action="holidays.load"),
            count(db, OutboxMessage)) == (0, 0, 0)


def test_a_body_with_wrong_fields_is_422(city):
    response = city.put("/api/v1/holidays/2027", json={"version": "x", "holidays": "春节"})
    assert response.status_code == 422 and response.json["message"]


def test_only_the_city_office_loads_holidays(api, org, city):
    street = api.as_staff(make_staff("street", "XH-TP"))
    assert street.put("/api/v1/holidays/2027", json=TEST_2027).status_code == 403
    assert api.put("/api/v1/holidays/2027", json=TEST_2027).status_code == 401


def test_staff_read_the_years_residents_do_not(api, org, city):
    from tests.builders import make_member

    make_member(org.community, openid="r1")
    assert api.as_resident("r1").get("/api/v1/holidays").status_code == 403
    assert city.get("/api/v1/holidays?per_page=0").status_code == 422
    with at(shanghai(2026, 12, 20, 10, 0)):
        items = city_login(api).get("/api/v1/holidays").json["items"]
    assert [(i["year"], i["origin"]) for i in items] == [(2027, "missing"), (2026, "package")]


def test_a_load_by_another_process_takes_effect_without_a_restart(app, db):
    assert workdays.is_working_day(date(2027, 1, 1), provisional=True) is True  # a Friday
    # Another process (its own connection) loads 2027 while this one has its calendar cached.
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        conn.execute(HolidayYear.__table__.insert().values(
            year=2027, version="x", source="", holidays=TEST_2027["holidays"],
            workdays=TEST_2027["workdays"], revision=1, loaded_via="cli",
            loaded_at=datetime.now(timezone.utc)))
    engine.dispose()
    assert workdays.is_working_day(date(2027, 1, 1)) is False


# --- the CLI ----------------------------------------------------------------------------------

def test_flask_holidays_load_and_list(app, db, tmp_path):
    path = tmp_path / "2027.yaml"
    path.write_text(
        "year: 2027\nversion: 测试数据-1\nholidays:\n"
        "  - {name: 元旦, start: 2027-01-01, end: 2027-01-03}\nworkdays: [2027-01-09]\n",
        encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["holidays", "load", str(path)])
    assert result.exit_code == 0 and "已载入 2027 年" in result.output, result.output
    row = db.session.execute(db.select(HolidayYear)).scalar_one()
    assert row.loaded_via == "cli" and row.workdays == ["2027-01-09"]
    assert db.session.execute(db.select(AuditLog)).scalar_one().actor_kind == "cli"
    listed = runner.invoke(args=["holidays", "list"])
    assert listed.exit_code == 0 and "2027  市级已载入  测试数据-1" in listed.output


def test_flask_holidays_load_refuses_a_bad_file_in_chinese_and_changes_nothing(app, db,
                                                                               tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(dict(TEST_2027, workdays=["2027-01-02", "2028-01-08"])),
                    encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["holidays", "load", str(path)])
    assert result.exit_code != 0
    assert "既是放假日又是调休上班日" in result.output and "不在 2027 年内" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("year: [2027\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["holidays", "load", str(broken)])
    assert result.exit_code != 0 and "不是有效的 YAML/JSON" in result.output
    assert (count(db, HolidayYear), count(db, AuditLog, action="holidays.load"),
            count(db, OutboxMessage)) == (0, 0, 0)


# --- provisional deadlines until the year is loaded -------------------------------------------

def _day(iso):
    return clock.local_date(datetime.fromisoformat(iso) - timedelta(seconds=1))


def test_a_report_filed_on_20_december_is_provisional_until_2027_is_loaded(api, org, db,
                                                                            city, record):
    with at(shanghai(2026, 12, 20, 10, 0)):  # a Sunday
        world, city = ReportWorld(api, org), city_login(api)
        report = world.file("illegal_building")  # resolve_days 15
        figures = world.street.get("/api/v1/reports/figures?since=2026-12-01&until=2026-12-31")
        committee = world.committee
        record("report_staff_provisional", committee.get(f"/api/v1/reports/{report['id']}"))
        record("reports_inbox_provisional", committee.get("/api/v1/reports?status=submitted"))
        detail = world.street.get(f"/api/v1/reports/{report['id']}").json
        assert detail["deadlines_provisional"] is True
        assert [_day(detail[f"{s}_due_at"]) for s in ("contact", "accept", "resolve")] == [
            date(2026, 12, 21), date(2026, 12, 22), date(2027, 1, 8)]  # weekends alone
        assert figures.json["items"][0]["figures"]["provisional_deadlines"]["value"] == 1

        assert city.put("/api/v1/holidays/2027", json=TEST_2027).status_code == 200
        work()

        record("report_staff_recomputed", committee.get(f"/api/v1/reports/{report['id']}"))
        detail = world.street.get(f"/api/v1/reports/{report['id']}").json
        figures = world.street.get("/api/v1/reports/figures?since=2026-12-01&until=2026-12-31")
    assert detail["deadlines_provisional"] is False
    # 1 January off; 4-8 January; Saturday 9 January is the make-up working day.
    assert _day(detail["resolve_due_at"]) == date(2027, 1, 9)
    assert _day(detail["contact_due_at"]) == date(2026, 12, 21)
    event = detail["timeline"][-1]
    assert event["action"] == "recompute_deadlines"
    assert event["data"]["before"]["resolve"] == "2027-01-08"
    assert event["data"]["after"]["resolve"] == "2027-01-09"
    assert figures.json["items"][0]["figures"]["provisional_deadlines"]["value"] == 0


def test_recomputing_twice_changes_nothing_the_second_time(api, org, db, city):
    from server.services.reports import sla

    with at(shanghai(2026, 12, 20, 10, 0)):
        world = ReportWorld(api, org)
        world.file("illegal_building")
        city_login(api).put("/api/v1/holidays/2027", json=TEST_2027)
        assert sla.recompute_provisional() == 1
        assert sla.recompute_provisional() == 0
    assert count(db, ReportEvent, action="recompute_deadlines") == 1
    assert db.session.execute(db.select(Report)).scalar_one().deadlines_provisional is False


def test_an_overdue_mark_from_a_provisional_deadline_is_lifted_when_the_real_one_is_later(
        api, org, db):
    from server.services import holidays
    from server.services.reports import sla

    with at(shanghai(2026, 12, 20, 10, 0)):
        world = ReportWorld(api, org)
        report_id = world.file("illegal_building")["id"]
        world.to_status(report_id, "in_progress")
    with at(shanghai(2027, 1, 9, 0, 30)):  # past the provisional 8 January; 8 January in UTC
        assert sla.scan() == 1
        holidays.load("cli", TEST_2027, via="cli")
        sla.recompute_provisional()
        report = db.session.get(Report, report_id)
        assert report.overdue_at is None and report.deadlines_provisional is False
        assert sla.scan() == 0  # Saturday 9 January is a make-up working day: due tonight


def test_loading_a_year_again_replaces_it_and_the_audit_keeps_the_previous(city, db):
    city.put("/api/v1/holidays/2027", json=TEST_2027)
    again = city.put("/api/v1/holidays/2027", json=dict(TEST_2027, version="测试数据-2",
                                                        workdays=[]))
    assert again.status_code == 200 and again.json["revision"] == 2
    assert workdays.is_working_day(date(2027, 1, 9)) is False  # a plain Saturday now
    entries = db.session.execute(db.select(AuditLog).filter_by(action="holidays.load")
                                 .order_by(AuditLog.id)).scalars().all()
    assert entries[1].before["version"] == "测试数据-1"
    assert entries[1].after["version"] == "测试数据-2"
    assert count(db, HolidayYear) == 1
