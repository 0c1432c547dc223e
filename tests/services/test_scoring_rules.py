"""The regulation's rules: the framework file, eligibility dates, stages and selection."""
import json
from datetime import date

import pytest

from server.errors import Conflict, Forbidden, Invalid
from server.models import AuditLog, Framework, Participation, VetoEvent
from server.services.scoring import cycle as cycles, eligibility, framework
from tests import scoring_fixtures as fx
from tests.builders import make_staff


def test_a_framework_with_bad_weights_and_an_unknown_method_gives_every_reason(app, db):
    data = json.loads(json.dumps(fx.SMALL))
    data["areas"]["S5"][0]["weight"] = 24  # sum 99
    data["areas"]["S7"][1]["method"] = "guesswork"
    with pytest.raises(Invalid) as err:
        framework.load(data)
    codes = {r["code"] for r in err.value.details["reasons"]}
    assert {"weights_not_100", "unknown_method"} <= codes
    assert db.session.execute(db.select(Framework)).first() is None


def test_load_framework_command_reads_yaml_and_json(app, db, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-framework", str(framework.DEFAULT_FILE)])
    assert result.exit_code == 0 and "示意" in result.output, result.output
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(fx.SMALL), encoding="utf-8")
    assert runner.invoke(args=["load-framework", str(path)]).exit_code == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(dict(fx.SMALL, version="BAD", areas={"S9": []})), encoding="utf-8")
    result = runner.invoke(args=["load-framework", str(bad)])
    assert result.exit_code != 0 and "S9" in result.output
    assert db.session.execute(db.select(db.func.count(Framework.id))).scalar_one() == 2


def test_a_locked_version_cannot_be_reloaded_only_replaced(app, db):
    fw = fx.load(fx.SMALL)
    fw.locked_at = fw.loaded_at
    db.session.commit()
    with pytest.raises(Conflict):
        framework.load(fx.SMALL)
    assert framework.load(dict(fx.SMALL, version="TEST-2")).version == "TEST-2"


def _ready(org, monkeypatch, day, score_grade="A", started=date(2021, 1, 1)):
    fx.at(monkeypatch, day)
    fw = fx.load(fx.only_entered())
    cycle = fx.make_cycle(2027, fw)
    fx.participate(cycle, org.community, started=started)
    from server.models import IndicatorEntry
    from server.services.scoring import compute
    from tests.builders import make_staff as staff
    committee = staff("committee", "XH-TP-R01")
    from server.extensions import db
    db.session.add(IndicatorEntry(community_id=org.community.id, cycle_id=cycle.id,
                                  indicator_id=fw.indicators[0].id, self_value=score_grade,
                                  self_by_id=committee.id))
    db.session.commit()
    compute.recompute([org.community.id], "test")
    return cycle


def _veto(db, org, day):
    street = make_staff("street", "XH-TP", username=f"street-{day}")
    db.session.add(VetoEvent(community_id=org.community.id, kind="major_crime", occurred_on=day,
                             recorded_by_id=street.id, evidence=[]))
    db.session.commit()


@pytest.mark.parametrize("event_day, eligible", [
    (date(2026, 3, 1), True),    # the day before the window: 12 months + 1 day earlier
    (date(2026, 3, 2), False),   # the window's first day
    (date(2027, 3, 2), False),   # the application day itself
])
def test_veto_window_is_the_12_months_before_the_application(app, db, org, monkeypatch,
                                                             event_day, eligible):
    _ready(org, monkeypatch, date(2027, 3, 2))
    _veto(db, org, event_day)
    answer = eligibility.check(org.community)
    assert answer["eligible"] is eligible, answer["reasons"]


def test_an_event_says_from_when_the_community_is_eligible_again(app, db, org, monkeypatch):
    _ready(org, monkeypatch, date(2027, 3, 1))
    _veto(db, org, date(2026, 3, 1))
    answer = eligibility.check(org.community)
    assert answer["eligible_from"] == "2027-03-02"
    assert eligibility.check(org.community, date(2027, 3, 2))["eligible"] is True


@pytest.mark.parametrize("grade, eligible", [("A", True), ("B", False)])
def test_exactly_95_passes_and_94_99_fails(app, db, org, monkeypatch, grade, eligible):
    fx.at(monkeypatch, date(2027, 5, 1))
    factors = {"A": 0.95, "B": 0.9499}
    fw = fx.load(fx.only_entered(factors=factors))
    cycle = fx.make_cycle(2027, fw)
    fx.participate(cycle, org.community)
    from server.models import IndicatorEntry
    from server.services.scoring import compute
    committee = make_staff("committee", "XH-TP-R01")
    db.session.add(IndicatorEntry(community_id=org.community.id, cycle_id=cycle.id,
                                  indicator_id=fw.indicators[0].id, self_value=grade,
                                  self_by_id=committee.id))
    db.session.commit()
    compute.recompute([org.community.id], "test")
    answer = eligibility.check(org.community)
    assert answer["self_score"] == (95.0 if eligible else 94.99)
    assert answer["eligible"] is eligible
    if not eligible:
        assert [r["code"] for r in answer["reasons"]] == ["below_95"]


def test_year_two_cannot_apply_and_says_when_the_next_cycle_opens(app, db, org, monkeypatch):
    _ready(org, monkeypatch, date(2028, 1, 1))
    answer = eligibility.check(org.community)
    assert [r["code"] for r in answer["reasons"]] == ["not_year_one"]
    assert answer["eligible_from"] == "2030-01-01"


def test_three_year_creation_period(app, db, org, monkeypatch):
    _ready(org, monkeypatch, date(2027, 6, 1), started=date(2024, 6, 2))
    answer = eligibility.check(org.community)
    assert answer["reasons"][0]["eligible_from"] == "2027-06-02"
    assert eligibility.check(org.community, date(2027, 6, 2))["eligible"] is True


def test_the_street_applies_and_the_move_is_audited(app, db, org, monkeypatch):
    from server.auth import Actor
    _ready(org, monkeypatch, date(2027, 4, 1))
    street = Actor(staff=make_staff("street", "XH-TP"))
    part = cycles.move(street, org.community.id, "apply")
    assert part.stage == "applied" and float(part.applied_score) == 100.0
    assert db.session.execute(db.select(AuditLog).filter_by(action="stage.apply")).scalar_one()


def test_an_application_within_the_veto_window_writes_nothing(app, db, org, monkeypatch):
    from server.auth import Actor
    _ready(org, monkeypatch, date(2027, 4, 1))
    _veto(db, org, date(2026, 12, 1))
    with pytest.raises(Invalid) as err:
        cycles.move(Actor(staff=make_staff("street", "XH-TP")), org.community.id, "apply")
    assert err.value.details["reasons"][0]["eligible_from"] == "2027-12-02"
    db.session.rollback()
    assert db.session.execute(db.select(Participation.stage)).scalar_one() == "self_assessed"


def test_a_committee_cannot_apply(app, db, org, monkeypatch):
    from server.auth import Actor
    _ready(org, monkeypatch, date(2027, 4, 1))
    with pytest.raises(Forbidden):
        cycles.move(Actor(staff=make_staff("committee", "XH-TP-R01", username="c2")),
                    org.community.id, "apply")


def _applicants(db, org, monkeypatch, quota, scores):
    """Applicants in 徐汇 with the given reviewed totals (community, sibling, third)."""
    from server.models import Community, ScoreSnapshot
    fx.at(monkeypatch, date(2027, 9, 1))
    fw = fx.load(fx.only_entered())
    cycle = fx.make_cycle(2027, fw, quotas={org.district: quota})
    third = db.session.execute(db.select(Community).filter_by(code="XH-TP-003")).scalar_one()
    communities = [org.community, org.sibling, third]
    for community, score in zip(communities, scores):
        part = fx.participate(cycle, community, stage="applied")
        part.applied_on = date(2027, 3, 1)
        db.session.add(ScoreSnapshot(community_id=community.id, cycle_id=cycle.id,
                                     framework_id=fw.id, reason="t", total=score,
                                     self_total=score, unknown_points=0, digest="x",
                                     items=[], areas={}, satisfaction_part=0,
                                     supervision_part=0))
    db.session.commit()
    return cycle, communities


def test_selection_within_quota_ranked_by_score_with_ties_explained(app, db, org, monkeypatch):
    from server.auth import Actor
    cycle, (a, b, c) = _applicants(db, org, monkeypatch, 2, [97, 96, 96])
    district = Actor(staff=make_staff("district", "XH"))
    ranking = cycles.candidates(district, cycle.id)
    assert [r["community_id"] for r in ranking["candidates"]] == [a.id, b.id, c.id]
    assert "同为 96.00 分" in ranking["candidates"][1]["tie_note"]
    result = cycles.select(district, cycle.id, [a.id, b.id])
    assert [r["stage"] for r in result["candidates"]] == ["district_selected",
                                                          "district_selected", "applied"]


def test_selection_over_quota_or_skipping_a_better_one_gives_every_reason(app, db, org,
                                                                         monkeypatch):
    from server.auth import Actor
    cycle, (a, b, c) = _applicants(db, org, monkeypatch, 1, [97, 96, 90])
    district = Actor(staff=make_staff("district", "XH"))
    with pytest.raises(Invalid) as err:
        cycles.select(district, cycle.id, [b.id, c.id])
    codes = [r["code"] for r in err.value.details["reasons"]]
    assert codes == ["over_quota", "skipped_higher"]
    db.session.rollback()
    assert set(db.session.execute(db.select(Participation.stage)).scalars()) == {"applied"}
