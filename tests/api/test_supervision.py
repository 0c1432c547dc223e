"""The street's and district's overview, and the figures endpoint."""
from datetime import timedelta

import pytest

from tests.clock import shanghai_today
from tests.reports_helpers import ReportWorld



def period():
    """The last 30 days up to today in Shanghai, read when the test runs (not at import)."""
    today = shanghai_today()
    return f"since={(today - timedelta(days=30)).isoformat()}&until={today.isoformat()}"


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def test_street_sees_each_committee_with_open_and_reworked_reports(world):
    report = world.file()
    world.to_status(report["id"], "resolved")
    world.reporter.post(f"/api/v1/reports/{report['id']}/rating", json={"rating": "dissatisfied"})
    world.file()
    response = world.street.get(f"/api/v1/reports/overview?{period()}")
    assert response.status_code == 200
    rows = {r["residential_area"]["name"]: r for r in response.json["committees"]}
    assert rows["建业里居民区"]["open"] == 2 and rows["建业里居民区"]["reworked"] == 1
    assert rows["高安路居民区"]["open"] == 0
    assert rows["建业里居民区"]["figures"]["rework_rate"]["value"] == 1.0
    assert response.json["totals"]["open"] == 2


def test_district_sees_one_level_up(world):
    world.file()
    response = world.district.get(f"/api/v1/reports/overview?{period()}")
    assert response.json["totals"]["open"] == 1


def test_committee_has_no_overview(world):
    assert world.committee.get(f"/api/v1/reports/overview?{period()}").status_code == 403


def test_overview_needs_a_valid_period(world):
    assert world.street.get("/api/v1/reports/overview?since=2025-05-01").status_code == 422
    assert world.street.get(
        "/api/v1/reports/overview?since=2025-05-01&until=someday").status_code == 422


def test_a_period_ending_before_it_starts_is_empty(world):
    world.file()
    response = world.street.get(f"/api/v1/reports/figures?since={shanghai_today()}&until=2000-01-01")
    assert response.status_code == 200 and response.json["items"] == []


def test_figures_per_community_with_definitions(world):
    world.file()
    response = world.street.get(f"/api/v1/reports/figures?{period()}")
    assert response.status_code == 200
    item = response.json["items"][0]
    assert item["community"]["id"] == world.org.community.id and item["reports"] == 1
    assert item["figures"]["satisfaction"]["definition"]


def test_figures_for_a_community_outside_the_scope_is_404(world):
    url = f"/api/v1/reports/figures?{period()}&community_id={world.org.far_community.id}"
    assert world.street.get(url).status_code == 404


def test_residents_cannot_read_figures(world):
    assert world.reporter.get(f"/api/v1/reports/figures?{period()}").status_code == 403
