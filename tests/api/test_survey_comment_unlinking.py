"""A survey comment keeps its author (on its content check) only while WeChat's check runs:
whatever ends the check - WeChat's verdict, WeChat refusing to check, the check skipped when
its job runs, or staff deciding before WeChat answered - nothing in `content_checks` names the
author afterwards. (A passed and a held comment: test_surveys_answering.py.)"""
from datetime import timedelta

import pytest
import responses
import time_machine
from flask import current_app

from server.models import ContentCheck, Resident, Survey, SurveyComment
from server.models.base import utcnow
from tests import wechat_http
from tests.jobs.worker import work
from tests.surveys_support import answers, committee, create_survey, member, submit


@pytest.fixture
def survey_id(api, org):
    return create_survey(committee(api), [org.community.id])


def comment_by(api, org, survey_id, text="希望增加停车位"):
    submit(member(api, org.community, "m1"), survey_id, answers(q6=text))
    return _comment()


def _comment():
    from server.extensions import db

    db.session.expire_all()
    return db.session.execute(db.select(SurveyComment)).scalar_one()


def run_jobs(**wechat):
    """The outbox row of the check is due when `submit` sent the answer (five minutes ahead):
    the worker runs then, WeChat answering as asked (or not called at all)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps, \
            time_machine.travel(utcnow() + timedelta(minutes=10), tick=False):
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)  # the survey's announcement to residents
        if wechat:
            wechat_http.add_msg_sec_check(rsps, **wechat)
        work()


def assert_unlinked(db, comment):
    """No check row names the author, holds a WeChat trace or a time of its own."""
    author = db.session.execute(db.select(Resident).filter_by(openid="m1")).scalar_one()
    assert db.session.execute(db.select(ContentCheck).filter_by(
        author_id=author.id)).first() is None
    check = db.session.get(ContentCheck, comment.content_check_id) \
        if comment.content_check_id else None
    if check is not None:
        opens_at = db.session.get(Survey, comment.survey_id).opens_at
        assert check.author_id is None and check.trace_id is None
        assert check.created_at == check.submitted_at == check.checked_at == opens_at


def test_the_author_is_on_the_check_while_wechat_has_not_answered(api, org, db, survey_id):
    # The control: without it, the assertions below would pass on a check never written.
    comment = comment_by(api, org, survey_id)
    assert comment.status == "pending"
    assert db.session.get(ContentCheck, comment.content_check_id).author_id is not None


def test_a_risky_verdict_holds_the_comment_without_its_author(api, org, db, survey_id):
    comment = comment_by(api, org, survey_id)
    run_jobs(suggest="risky", label=20001)
    comment = _comment()
    assert comment.status == "held"
    assert_unlinked(db, comment)


def test_wechat_refusing_to_check_holds_the_comment_without_its_author(api, org, db,
                                                                        survey_id):
    comment = comment_by(api, org, survey_id)
    run_jobs(errcode=40003)  # invalid openid: WeChat will not check it, a person must
    comment = _comment()
    assert comment.status == "held"
    assert_unlinked(db, comment)


def test_a_check_skipped_when_its_job_runs_forgets_the_author(api, org, db, survey_id):
    comment = comment_by(api, org, survey_id)
    current_app.config["WECHAT_TEXT_CHECK"] = False  # switched off after the answer came
    run_jobs()
    comment = _comment()
    assert comment.status == "shown" and comment.content_check_id is None
    assert_unlinked(db, comment)


@pytest.mark.parametrize("decision, status", [("release", "shown"), ("reject", "rejected")])
def test_staff_deciding_before_wechat_answers_forgets_the_author(api, org, db, survey_id,
                                                                 decision, status):
    comment = comment_by(api, org, survey_id)
    check_id = comment.content_check_id
    decided = committee(api).post(f"/api/v1/content-checks/{check_id}/{decision}", json={})
    assert decided.status_code == 200 and decided.json["author_id"] is None
    # WeChat is not asked any more: the check is no longer pending.
    run_jobs(suggest="pass")
    comment = _comment()
    assert comment.status == status
    assert_unlinked(db, comment)
