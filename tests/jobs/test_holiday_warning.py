"""From 1 November the city office is told, once a day, that next year's holidays are missing,
until they are loaded; the notices land in the staff inbox."""
import pytest

from server import queues
from server.models import StaffNotice
from server.services import holidays
from tests.builders import make_staff
from tests.clock import at, shanghai
from tests.jobs.worker import work

YEAR_2027 = {"year": 2027, "version": "测试数据-1", "workdays": [],
             "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-01"}]}


@pytest.fixture
def staff(org):
    return make_staff("city", "SH"), make_staff("street", "XH-TP")


def run_daily_job():
    queues.queue("default").enqueue("server.jobs.holidays.warn_missing")
    work()


def notices(db):
    return db.session.execute(db.select(StaffNotice).order_by(StaffNotice.id)).scalars().all()


def test_nothing_before_1_november_in_shanghai(app, db, staff):
    with at(shanghai(2026, 10, 31, 23, 30)):
        run_daily_job()
    assert notices(db) == []


def test_from_1_november_the_city_is_told_once_a_day_until_the_year_is_loaded(app, db, staff):
    city, street = staff
    with at(shanghai(2026, 11, 1, 0, 30)):  # still 31 October in UTC
        run_daily_job()
        run_daily_job()  # the same day again: nothing new
    first = notices(db)
    assert [(n.staff_id, n.kind) for n in first] == [(city.id, "holidays_missing")]
    assert "2027年节假日安排尚未载入" in first[0].title
    with at(shanghai(2026, 11, 2, 9, 0)):
        run_daily_job()
    assert len(notices(db)) == 2
    with at(shanghai(2026, 11, 3, 9, 0)):
        holidays.load("cli", YEAR_2027, via="cli")
        run_daily_job()
    assert len(notices(db)) == 2


def test_the_staff_inbox_lists_and_marks_read_only_ones_own(api, db, org, staff):
    city, street = staff
    with at(shanghai(2026, 11, 1, 9, 0)):
        run_daily_job()
        city_api, street_api = api.as_staff(city), api.as_staff(street)
        listed = city_api.get("/api/v1/staff-notices")
        assert listed.status_code == 200 and listed.json["total"] == 1
        notice_id = listed.json["items"][0]["id"]
        assert street_api.post(f"/api/v1/staff-notices/{notice_id}/read").status_code == 404
        read = city_api.post(f"/api/v1/staff-notices/{notice_id}/read")
        assert read.status_code == 200 and read.json["read_at"]
        assert city_api.get("/api/v1/staff-notices?unread=true").json["total"] == 0
        assert city_api.get("/api/v1/staff-notices?per_page=0").status_code == 422


def test_residents_have_no_staff_inbox(api, org):
    from tests.builders import make_member

    make_member(org.community, openid="r1")
    assert api.as_resident("r1").get("/api/v1/staff-notices").status_code == 403
