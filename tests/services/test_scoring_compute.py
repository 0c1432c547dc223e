"""Scores: a fixture scored by hand, indicator by indicator; insufficient data; snapshots."""
from datetime import date

import pytest

from server.models import Framework, IndicatorEntry, ScoreSnapshot
from server.models.scoring import FrameworkLocked
from server.services.scoring import compute, framework
from tests import scoring_fixtures as fx
from tests.builders import make_resident, make_staff


@pytest.fixture
def scored(app, db, org, calendar):
    calendar(date(2026, 11, 29))
    fw = fx.load(fx.SMALL)
    cycle = fx.make_cycle(2025, fw)
    committee = make_staff("committee", "XH-TP-R01")
    street = make_staff("street", "XH-TP")
    # S4: q1 has 5 valid answers, 4 at 5/4/3 -> 80%; q2 has only 4 valid ones (one 不了解),
    # fewer than the 5 households a published figure needs, so it is left out; S1.Q: 2 < 3.
    fx.add_survey(org.community, committee, [
        {"q1": 5, "q2": 4, "q3": 5}, {"q1": 3, "q2": 2, "q3": 4}, {"q1": 5, "q2": 0},
        {"q1": 1, "q2": 5}, {"q1": 4, "q2": 4}])
    # Fixed: 3 of the 4 accepted and closed (rejected and merged ones never count) -> 75%.
    fx.add_reports(org.community, make_resident("reporter"), [
        ("confirmed", True, "satisfied"), ("confirmed", True, None),
        ("dissatisfied", False, "dissatisfied"), ("rejected", False, None),
        ("merged", False, None), ("confirmed", True, "basically_satisfied")])
    indicators = {i.code: i for i in fw.indicators}
    db.session.add_all([
        IndicatorEntry(community_id=org.community.id, cycle_id=cycle.id,
                       indicator_id=indicators["S5.1"].id, self_value="A", self_by_id=committee.id,
                       street_decision="change", street_value="B", street_reason="通道有堆物",
                       street_by_id=street.id),
        IndicatorEntry(community_id=org.community.id, cycle_id=cycle.id,
                       indicator_id=indicators["S7.1"].id, self_value="B",
                       self_by_id=committee.id)])
    db.session.commit()
    assert compute.recompute([org.community.id], "test") == 1
    return compute.latest_snapshot(org.community.id, cycle.id)


def test_a_fixture_scores_as_computed_by_hand(scored):
    items = {i["code"]: i for i in scored.items}
    # S4.Q: 80% -> (80 - 70) / (95 - 70) x 30 = 12; the sample is 5 households, not answers
    assert (items["S4.Q"]["value"], items["S4.Q"]["points"]) == (80.0, 12.0)
    assert items["S4.Q"]["source"]["answers"] == 5 and items["S4.Q"]["source"]["min_sample"] == 4
    # S1.Q: 2 ballots, 3 needed: not a number.
    assert items["S1.Q"]["status"] == "insufficient_data" and items["S1.Q"]["points"] is None
    # S7.M: 75% -> (75 - 60) / (95 - 60) x 20 = 8.571 -> 8.57
    assert (items["S7.M"]["value"], items["S7.M"]["points"]) == (75.0, 8.57)
    assert items["S7.M"]["source"]["figures"]["fixed"] == {"numerator": 3, "denominator": 4}
    # S5.1: self A (25), street changed to B: 25 x 0.8 = 20
    assert (items["S5.1"]["self_points"], items["S5.1"]["points"]) == (25.0, 20.0)
    assert items["S5.1"]["value_from"] == "street_review"
    # S7.1: self B, not reviewed yet: 15 x 0.8 = 12
    assert items["S7.1"]["points"] == 12.0 and items["S7.1"]["value_from"] == "self_assessment"
    assert float(scored.total) == 52.57  # 12 + 8.57 + 20 + 12
    # The self-assessment of 第十一条（一） is the street's: its B for S5.1; S7.1, which the
    # street has not assessed, counts nothing. 12 + 8.5714... + 20 = 40.5714... -> 40.57
    assert float(scored.self_total) == 40.57
    assert (items["S5.1"]["street_points"], items["S7.1"]["street_points"]) == (20.0, None)
    assert float(scored.unknown_points) == 10.0
    assert (float(scored.satisfaction_part), float(scored.supervision_part)) == (12.0, 8.57)
    assert scored.areas["S7"] == {"weight": 35.0, "points": 20.57, "unknown": 0.0}


def test_gap_lists_the_indicators_that_would_close_it_most(scored):
    gap = compute.gap(scored)
    assert gap["gap"] == 42.43
    assert [c["code"] for c in gap["closers"]] == ["S4.Q", "S7.M", "S1.Q", "S5.1", "S7.1"]
    assert gap["closers"][2]["status"] == "insufficient_data"


def test_recomputing_unchanged_inputs_writes_nothing(scored, db, org):
    assert compute.recompute([org.community.id], "again") == 0
    assert compute.recompute(None, "nightly") == 3  # the other communities' first snapshots
    assert db.session.execute(db.select(db.func.count(ScoreSnapshot.id)).where(
        ScoreSnapshot.community_id == org.community.id)).scalar_one() == 1


def test_a_framework_used_for_a_score_is_frozen(scored, db):
    fw = db.session.execute(db.select(Framework).filter_by(version="TEST-1")).scalar_one()
    assert fw.locked_at is not None
    fw.indicators[0].weight = 31
    with pytest.raises(FrameworkLocked):
        db.session.flush()
    db.session.rollback()


def test_default_minimum_sample_uses_the_household_count():
    # n0 = 1.96^2 x 0.25 / 0.1^2 = 96.04; N = 120: 120 x 96.04 / (119 + 96.04) = 53.6 -> 54
    assert framework.default_min_sample(120) == 54
    assert framework.default_min_sample(6000) == 95
    assert framework.default_min_sample(0) == 97


def test_a_score_on_an_earlier_date_is_the_snapshot_then_in_force(scored, db, org):
    entry = db.session.execute(db.select(IndicatorEntry).where(
        IndicatorEntry.self_value == "B")).scalar_one()
    entry.street_decision, entry.street_value = "change", "C"
    db.session.commit()
    assert compute.recompute([org.community.id], "entry_changed") == 1
    now = compute.latest_snapshot(org.community.id, scored.cycle_id)
    assert float(now.total) == 49.57  # S7.1 at C: 15 x 0.6 = 9 instead of 12
    then = compute.latest_snapshot(org.community.id, scored.cycle_id, at=scored.computed_at)
    assert then.id == scored.id and float(then.total) == 52.57
