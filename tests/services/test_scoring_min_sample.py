"""`min_sample` is compared with respondents (households), not answers: five households that
each answered both S4 questions are ten answers and a sample of five."""
import copy
from datetime import date

import pytest

from server.services.scoring import compute
from tests import scoring_fixtures as fx
from tests.builders import make_staff


def s4_item(org, min_sample):
    data = copy.deepcopy(fx.SMALL)
    data["version"] = f"TEST-MIN-{min_sample}"
    data["areas"]["S4"][0]["min_sample"] = min_sample
    cycle = fx.make_cycle(2025, fx.load(data))
    committee = make_staff("committee", "XH-TP-R01")
    fx.add_survey(org.community, committee, [{"q1": 5, "q2": 4} for _ in range(5)])
    assert compute.recompute([org.community.id], "test") == 1
    items = compute.latest_snapshot(org.community.id, cycle.id).items
    return {i["code"]: i for i in items}["S4.Q"]


@pytest.fixture(autouse=True)
def today(calendar):
    calendar(date(2026, 11, 29))


def test_five_households_meet_a_minimum_sample_of_five(app, db, org):
    item = s4_item(org, 5)
    assert item["status"] == "ok" and item["value"] == 100.0
    assert item["source"]["answers"] == 5  # households, though they gave 10 answers


def test_ten_answers_from_five_households_do_not_meet_a_minimum_of_six(app, db, org):
    item = s4_item(org, 6)
    assert item["status"] == "insufficient_data" and item["points"] is None
    assert item["source"] == {**item["source"], "answers": 5, "min_sample": 6}
