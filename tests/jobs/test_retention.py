"""Retention (docs/privacy.md): the daily `retention.enforce` job, run by a real worker while
the clock moves on, removes each kind of record when - and only when - its time is up."""
from datetime import timedelta
from pathlib import Path

import responses

from server import queues
from server.extensions import db
from server.jobs.periodic import PERIODIC
from server.models import (AuthSession, ContentCheck, Notification, OutboxMessage, Photo,
                           SurveyParticipation)
from server.services.privacy.retention import DAYS
from tests import wechat_http
from tests.clock import at, shanghai
from tests.jobs.worker import work
from tests.reports_helpers import ReportWorld, upload
from tests.surveys_support import committee, create_survey, member, submit

T0 = shanghai(2026, 3, 2, 10)


def enforce():
    job = queues.queue("default").enqueue("server.jobs.retention.enforce")
    work()
    job.refresh()
    assert job.is_finished, job.latest_result()
    return job.return_value()


def deliver():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        work()


def count(model, *where):
    return db.session.execute(db.select(db.func.count()).select_from(model).where(*where)
                              ).scalar()


def files(app):
    return {p.name for p in Path(app.config["UPLOAD_DIR"]).rglob("*.jpg")}


def test_each_kind_of_record_goes_when_its_time_is_up(app, api, org):
    with at(T0):
        world = ReportWorld(api, org)
        closed = world.file(photos=1)
        assert world.act(closed["id"], "reject", note="不属于小区公共区域").status_code == 200
        world.file(photos=1)  # still open: its photo stays however old
        upload(world.reporter)  # never attached to anything
        survey_id = create_survey(committee(api), [org.community.id],
                                  closes_at=(T0 + timedelta(days=14)).isoformat())
        assert submit(member(api, org.community, "voter", room="501"), survey_id
                      ).status_code == 201
        deliver()
    stored = files(app)
    assert len(stored) == 6  # three photos and their thumbnails

    with at(T0 + timedelta(days=10)):
        counts = enforce()
    assert counts["unattached_uploads"] == 1 and len(files(app)) == 4
    assert {k for k, v in counts.items() if v} == {"unattached_uploads"}

    with at(T0 + timedelta(days=400)):
        counts = enforce()
    for kind in ("sessions", "notifications", "outbox_done", "content_checks",
                 "survey_participations"):
        assert counts[kind] > 0, kind
    assert count(AuthSession) == 0 and count(Notification) == 0
    assert count(OutboxMessage, OutboxMessage.state == "done") == 0
    assert count(ContentCheck, ContentCheck.author_id.is_not(None)) == 0
    assert count(ContentCheck, ContentCheck.content != "") == 0
    assert count(SurveyParticipation, SurveyParticipation.resident_id.is_not(None)) == 0
    assert count(SurveyParticipation) == 1  # the household still answered
    assert counts["report_photos"] == 0 and count(Photo) == 2

    with at(T0 + timedelta(days=DAYS["report_photos"] + 10)):
        counts = enforce()
        assert counts["report_photos"] == 1
        assert count(Photo, Photo.report_id == closed["id"]) == 0
        assert count(Photo) == 1 and len(files(app)) == 2
        assert set(enforce().values()) == {0}  # a second run finds nothing to do


def test_nothing_is_removed_before_its_time(app, api, org):
    with at(T0):
        world = ReportWorld(api, org)
        report = world.file(photos=1)
        world.act(report["id"], "reject", note="不属于小区公共区域")
        deliver()
    before = (count(AuthSession), count(Notification), count(OutboxMessage), count(Photo))
    with at(T0 + timedelta(days=6)):
        assert set(enforce().values()) == {0}
    assert (count(AuthSession), count(Notification), count(OutboxMessage),
            count(Photo)) == before


def test_the_scheduler_runs_it_nightly():
    periodic = next(p for p in PERIODIC if p.func == "server.jobs.retention.enforce")
    assert periodic.cron == "0 4 * * *" and periodic.queue == "default"


def test_a_closed_per_resident_survey_forgets_who_answered(app, api, org):
    with at(T0):
        survey_id = create_survey(committee(api), [org.community.id], response_unit="resident",
                                  closes_at=(T0 + timedelta(days=14)).isoformat())
        assert submit(member(api, org.community, "voter"), survey_id).status_code == 201
    with at(T0 + timedelta(days=14 + DAYS["survey_participations"] - 1)):
        assert enforce()["survey_participations"] == 0
    with at(T0 + timedelta(days=14 + DAYS["survey_participations"] + 1)):
        assert enforce()["survey_participations"] == 1
    row = db.session.execute(db.select(SurveyParticipation)).scalar_one()
    assert row.resident_id is None and row.respondent_key.startswith("x")
    assert row.household_id is not None
