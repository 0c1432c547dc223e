"""The figures equal those computed by hand on a small fixture."""
from datetime import date, datetime, timedelta, timezone

import pytest

from server.extensions import db as _db
from server.models import Report
from server.services.reports import figures
from tests.builders import make_member
from tests.reports_helpers import load_categories

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def at(day, hour=2):
    return datetime(2025, 3, day, hour, tzinfo=timezone.utc) if isinstance(day, int) else day


def add(community, reporter, category, created, building="1", on_time=True, **fields):
    created = at(created)
    report = Report(community=community, reporter=reporter, category=category, description="x",
                    building=building, building_key=building, status="closed",
                    created_at=created, updated_at=created,
                    contact_due_at=created + timedelta(hours=14),
                    accept_due_at=created + timedelta(hours=14),
                    resolve_due_at=created + timedelta(days=3, hours=14))
    late = timedelta(days=2)
    if fields.pop("decided", True):
        report.decided_at = created + (timedelta(hours=1) if on_time else late)
    for name, value in fields.items():
        setattr(report, name, value)
    _db.session.add(report)
    return report


@pytest.fixture
def fixture(app, org):
    cats = load_categories()
    clutter, parking = cats["clutter"], cats["parking"]
    reporter = make_member(org.community)
    a = org.community
    h = timedelta(hours=1)
    add(a, reporter, clutter, 3, accepted_at=at(3, 3), contacted_at=at(3, 4),
        resolved_at=at(3) + timedelta(hours=24), closed_at=at(5), fixed=True,
        rating="satisfied")
    add(a, reporter, clutter, 5, on_time=False, accepted_at=at(7), contacted_at=at(7),
        resolved_at=at(5) + timedelta(hours=120), closed_at=at(12), fixed=False,
        rating="dissatisfied", rework_count=1)
    add(a, reporter, clutter, 10, building="2", status="rejected", closed_at=at(10, 5),
        fixed=False)
    add(a, reporter, clutter, 12, building="", status="referred", accepted_at=at(12, 3),
        contacted_at=at(12) + h, handler_kind="hotline_12345", closed_at=at(12, 6), fixed=False)
    add(a, reporter, parking, 20, accepted_at=at(20, 3), contacted_at=at(20, 3),
        resolved_at=at(20) + timedelta(hours=12), closed_at=at(22), fixed=True,
        rating="basically_satisfied")
    add(a, reporter, clutter, datetime(2025, 4, 2, 2, tzinfo=timezone.utc))  # after the period
    add(org.sibling, make_member(org.sibling, openid="b"), clutter, 4)
    _db.session.commit()
    return org


def test_figures_match_the_hand_computation(fixture):
    result = figures.community_figures(fixture.community.id, *MARCH)
    assert result.reports == 5
    values = {code: (f.numerator, f.denominator, f.value) for code, f in result.figures.items()}
    assert values["first_contact_on_time"] == (3, 4, 0.75)
    assert values["accepted_on_time"] == (4, 5, 0.8)
    assert values["resolved_on_time"] == (2, 3, 0.6667)
    assert values["fixed_rate"] == (2, 4, 0.5)
    assert values["satisfaction"] == (2, 3, 0.6667)
    assert values["rework_rate"] == (1, 3, 0.3333)
    assert values["repeat_reports"] == (1, 4, 1)
    assert values["median_hours_to_resolve"][1:] == (3, 24.0)


def test_scoring_reads_metrics_by_alias(fixture):
    result = figures.community_figures(fixture.community.id, *MARCH)
    assert result.metric("on_time") == (0.6667, 3)
    assert result.metric("fixed") == (0.5, 4)
    assert result.metric("satisfaction") == (0.6667, 3)


def test_a_community_without_reports_has_no_values(fixture):
    result = figures.for_communities([fixture.far_community.id], *MARCH)
    assert result[fixture.far_community.id].figures["satisfaction"].value is None


def test_every_figure_carries_its_definition(fixture):
    shown = figures.community_figures(fixture.community.id, *MARCH).as_dict()
    assert shown["satisfaction"]["name"] == "满意率"
    assert "满意" in shown["satisfaction"]["definition"]
    assert set(shown) == set(figures.DEFINITIONS)
