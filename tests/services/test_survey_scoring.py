"""What the scoring service reads: satisfaction per community, area and indicator, from the
same published cells as the results, with households as the sample."""
from datetime import date, datetime, timezone

from server.models import Survey
from server.services.surveys import scoring
from tests.surveys_support import add_ballots, committee, create_survey

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def opened(db, survey, day):
    survey.opens_at = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)
    db.session.commit()


def test_satisfaction_per_area_and_indicator_with_households_as_the_sample(api, org, db):
    survey = db.session.get(Survey, create_survey(committee(api), [org.community.id]))
    opened(db, survey, date(2026, 3, 1))
    add_ballots(survey, org.community, {"q1": 5, "q2": 2}, count=6)
    add_ballots(survey, org.community, {"q1": 2, "q2": 0}, count=2)
    add_ballots(survey, org.community, {"q1": 1, "q2": 1}, count=3, straight_line=True)
    got = scoring.community_satisfaction(org.community.id, *YEAR)
    s4 = got["areas"]["S4"]  # straight-lined ballots are flagged, and counted by default
    assert (s4.valid, s4.satisfied, s4.respondents) == (11, 6, 11)
    assert s4.answers == 11 and s4.percent == 54.55 and s4.survey_ids == {survey.id}
    assert got["indicators"]["S4-Q-1"].answers == 11  # q1 carries indicator S4-Q-1
    s5 = got["areas"]["S5"]  # 不了解 is not a valid answer
    assert (s5.valid, s5.satisfied, s5.respondents) == (9, 0, 9)


def test_scores_read_released_figures_that_move_by_five_households(api, org, db):
    survey = db.session.get(Survey, create_survey(committee(api), [org.community.id]))
    opened(db, survey, date(2026, 3, 1))
    add_ballots(survey, org.community, {"q1": 5}, count=12)
    assert scoring.community_satisfaction(org.community.id, *YEAR)["areas"]["S4"].valid == 12
    add_ballots(survey, org.community, {"q1": 1}, count=4)  # a forced recompute learns nothing
    assert scoring.community_satisfaction(org.community.id, *YEAR)["areas"]["S4"].rate == 1.0
    add_ballots(survey, org.community, {"q1": 1})
    s4 = scoring.community_satisfaction(org.community.id, *YEAR)["areas"]["S4"]
    assert (s4.valid, s4.satisfied) == (17, 12)


def test_a_question_with_fewer_than_five_households_does_not_count(api, org, db):
    survey = db.session.get(Survey, create_survey(committee(api), [org.community.id]))
    opened(db, survey, date(2026, 3, 1))
    add_ballots(survey, org.community, {"q1": 5, "q2": 0}, count=4)
    assert scoring.community_satisfaction(org.community.id, *YEAR) == {"areas": {},
                                                                        "indicators": {}}


def test_a_survey_counts_in_the_period_it_opened(api, org, db):
    survey = db.session.get(Survey, create_survey(committee(api), [org.community.id]))
    opened(db, survey, date(2025, 12, 31))
    add_ballots(survey, org.community, {"q1": 5}, count=5)
    assert scoring.satisfaction([org.community.id], *YEAR) == {}
    assert scoring.satisfaction([org.community.id], date(2025, 1, 1), date(2025, 12, 31))


def test_drafts_and_other_communities_do_not_count(api, org, db):
    draft = db.session.get(Survey, create_survey(committee(api), [org.community.id],
                                                 publish=False))
    opened(db, draft, date(2026, 3, 1))
    add_ballots(draft, org.community, {"q1": 5}, count=5)
    assert scoring.satisfaction([org.community.id], *YEAR) == {}
    assert scoring.satisfaction([org.sibling.id], *YEAR) == {}
