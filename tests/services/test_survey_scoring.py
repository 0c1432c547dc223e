"""What the scoring service reads: satisfaction per community, area and indicator."""
from datetime import date

from server.models import Survey
from server.services.surveys import scoring
from tests.surveys_support import add_ballots, committee, create_survey


def test_satisfaction_per_area_and_indicator_over_a_period(api, org, db):
    survey = db.session.get(Survey, create_survey(committee(api), [org.community.id]))
    add_ballots(survey, org.community, {"q1": 5, "q2": 2}, count=6, day=date(2026, 3, 1))
    add_ballots(survey, org.community, {"q1": 2, "q2": 0}, count=2, day=date(2026, 3, 2))
    add_ballots(survey, org.community, {"q1": 1}, count=3, day=date(2026, 3, 2), too_fast=True)
    add_ballots(survey, org.community, {"q1": 1}, count=4, day=date(2025, 12, 31))
    got = scoring.community_satisfaction(org.community.id, date(2026, 1, 1), date(2026, 12, 31))
    s4 = got["areas"]["S4"]
    assert (s4.valid, s4.satisfied, s4.rate) == (8, 6, 0.75)
    assert s4.percent == 75.0 and s4.survey_ids == {survey.id}
    assert got["indicators"]["S4-Q-1"].valid == 8  # q1 carries indicator S4-Q-1
    s5 = got["areas"]["S5"]  # 不了解 is not a valid answer
    assert (s5.valid, s5.satisfied) == (6, 0)
    survey.count_flagged = True
    db.session.commit()
    assert scoring.community_satisfaction(org.community.id, date(2026, 1, 1),
                                          date(2026, 12, 31))["areas"]["S4"].valid == 11


def test_drafts_and_other_communities_do_not_count(api, org, db):
    draft = db.session.get(Survey, create_survey(committee(api), [org.community.id],
                                                 publish=False))
    add_ballots(draft, org.community, {"q1": 5}, count=5, day=date(2026, 3, 1))
    assert scoring.satisfaction([org.community.id], date(2026, 1, 1), date(2026, 12, 31)) == {}
    assert scoring.satisfaction([org.sibling.id], date(2026, 1, 1), date(2026, 12, 31)) == {}
