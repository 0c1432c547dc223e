"""Account deletion end to end: a resident logs in with WeChat, binds to their community,
shares their phone, answers a survey with a comment, files reports with photos, supports a
neighbour's report and gets notifications; then deletes their account. A dump of the whole
database (pg_dump on PostgreSQL, iterdump on SQLite) holds no trace of them, the upload
folder none of their photos, Redis no key of theirs - and the ballots, the survey's results
and response rate, their reports (without author) and the committee's register are as
they were."""
import fnmatch
import glob
import json
import re
import sqlite3
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path

import responses
import sqlalchemy as sa
import time_machine

from server import queues
from server.services import ratelimit
from server.extensions import db
from server.models import (Household, Photo, Report, Resident, SurveyBallot,
                           SurveyParticipation)
from server.models.base import utcnow
from tests import wechat_http
from tests.jobs.worker import work
from tests.reports_helpers import load_categories, upload
from tests.surveys_support import answers, committee, create_survey, household, member, submit

OPENID, UNIONID = "oErase7QxVn2LmPq9TzKw", "uErase4HsB8cYdN1RfJo"
NICKNAME, PHONE = "测试昵称甲乙", "13912345678"
RESIDENT_ID = 7777777  # distinctive, so any leftover id is found in the dump


def _first_resident_id(app):
    """Make the next resident get RESIDENT_ID on either backend."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('residents', 'id'), {RESIDENT_ID - 1})"))
    else:
        db.session.add(Resident(id=RESIDENT_ID - 1, openid="placeholder-before"))
    db.session.commit()


def _wechat(rsps):
    wechat_http.add_token(rsps)
    wechat_http.add_subscribe_send(rsps)
    wechat_http.add_msg_sec_check(rsps)
    rsps.add_callback(responses.POST, re.compile(re.escape(wechat_http.MEDIA_CHECK_URL) + ".*"),
                      callback=lambda request: (200, {}, json.dumps(
                          {"errcode": 0, "errmsg": "ok", "trace_id": uuid.uuid4().hex})))


def _run_jobs():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps, \
            time_machine.travel(utcnow() + timedelta(minutes=10), tick=False):
        _wechat(rsps)
        work()


def _dump(app):
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        pg_dump = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))[-1]
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return subprocess.run([pg_dump, "--no-owner", plain], check=True, capture_output=True,
                              text=True).stdout
    db.session.remove()
    with sqlite3.connect(url.database) as conn:
        return "\n".join(conn.iterdump())


def _redis_traces():
    conn = queues.connection()
    # Rate-limit counters hash whom they count: theirs are found by recomputing the hash.
    hashed = ratelimit.account_patterns(RESIDENT_ID, OPENID)
    found = []
    for key in conn.scan_iter(count=1000):
        name = key.decode(errors="replace")
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in hashed):
            found.append(name)
            continue
        value = conn.get(key) if conn.type(key) == b"string" else b""
        text = name + " " + (value or b"").decode(errors="replace")
        if OPENID in text or f"resident:{RESIDENT_ID}" in text or PHONE in text:
            found.append(name)
    return found


def _files(app):
    root = Path(app.config["UPLOAD_DIR"])
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _results(staff, survey_id):
    body = staff.get(f"/api/v1/surveys/{survey_id}/results").json
    return {key: body[key] for key in ("overall", "response_rate", "questions", "communities")}


def _register():
    return sorted(db.session.execute(sa.select(Household.id, Household.community_id,
                                               Household.building, Household.unit,
                                               Household.room)).all())


def _live_world(app, api, org):
    app.config.update(WECHAT_TEXT_CHECK=True, WECHAT_MEDIA_CHECK=True)
    categories = load_categories()
    staff = committee(api)
    _first_resident_id(app)
    household(org.community, "1", "1", "601")
    # The resident: WeChat login, then binding to their flat, approved by the committee.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, openid=OPENID, unionid=UNIONID)
        token = api.client.post("/api/v1/auth/wechat-login", json={"code": "c1"}).json["token"]
    me = type(api)(api.client, token)
    db.session.execute(sa.update(Resident).where(Resident.openid == OPENID)
                       .values(nickname=NICKNAME))
    db.session.commit()
    applied = me.post("/api/v1/memberships", json={"community_id": org.community.id,
                                                   "building": "1", "unit": "1", "room": "601"})
    assert applied.status_code == 201, applied.json
    assert staff.post(f"/api/v1/memberships/{applied.json['id']}/approve").status_code == 200
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_phone_number(rsps, phone=PHONE)
        assert me.post("/api/v1/me/phone", json={"code": "p", "consent": True}
                       ).status_code == 200
    neighbours = [member(api, org.community, f"neighbour-{i}", room=f"{i}01")
                  for i in range(1, 6)]
    # A survey: they answer with a comment (content-checked with their openid), and so do
    # five neighbours, so the figures are released.
    survey_id = create_survey(staff, [org.community.id])
    assert submit(me, survey_id, answers(q6="楼道灯坏了很久没人修")).status_code == 201
    for neighbour in neighbours:
        assert submit(neighbour, survey_id).status_code == 201
    # Reports with photos, theirs and a neighbour's.
    mine = []
    for photos in (1, 2):
        ids = [upload(me).json["id"] for _ in range(photos)]
        filed = me.post("/api/v1/reports", json={
            "category_id": categories["clutter"].id, "description": "楼道堆放杂物",
            "building": "1", "is_public": True, "photo_ids": ids})
        assert filed.status_code == 201, filed.json
        mine.append(filed.json["id"])
    theirs = neighbours[0].post("/api/v1/reports", json={
        "category_id": categories["clutter"].id, "description": "电动车在楼道充电",
        "building": "1", "is_public": True, "photo_ids": [upload(neighbours[0]).json["id"]]})
    _run_jobs()  # notifications sent, content checks answered
    assert me.post(f"/api/v1/reports/{theirs.json['id']}/support").status_code == 200
    assert staff.post(f"/api/v1/reports/{mine[0]}/actions",
                      json={"action": "accept"}).status_code == 200
    _run_jobs()
    return me, staff, survey_id, mine


def test_a_deleted_account_leaves_no_trace_and_the_counts_stay(app, api, org):
    me, staff, survey_id, my_reports = _live_world(app, api, org)
    held = me.get("/api/v1/me/data").json
    assert held["phone"] and held["notifications"] and held["supports"] and held["audit"]
    assert [p["survey_id"] for p in held["survey_participations"]] == [survey_id]
    my_photos = db.session.execute(sa.select(Photo.storage_key, Photo.thumb_key).where(
        Photo.uploader_resident_id == RESIDENT_ID)).all()
    names = [Path(key).name.split(".")[0] for row in my_photos for key in row]
    assert len(my_photos) == 3 and names
    ballots = db.session.execute(sa.select(sa.func.count()).select_from(SurveyBallot)).scalar()
    participations = db.session.execute(
        sa.select(sa.func.count()).select_from(SurveyParticipation)).scalar()
    results, register, files = _results(staff, survey_id), _register(), _files(app)
    assert results["response_rate"]["responding_households"] == 6
    # A per-resident key as rate limits keep them (`<prefix>:resident:<id>`, see erasure.py).
    queues.connection().set(f"ratelimit:reports:resident:{RESIDENT_ID}", 3, ex=3600)
    assert any(name.startswith("ratelimit:report:account:") for name in _redis_traces())
    before = _dump(app)  # the search finds them while they are there
    for trace in (OPENID, UNIONID, NICKNAME, PHONE, *names):
        assert trace in before, trace
    assert re.search(rf"\b{RESIDENT_ID}\b", before)

    assert me.delete("/api/v1/me", json={"confirm": "注销"}).status_code == 204

    dump = _dump(app)
    for trace in (OPENID, UNIONID, NICKNAME, PHONE, *names):
        assert trace not in dump, trace
    assert not re.search(rf"\b{RESIDENT_ID}\b", dump)
    assert _redis_traces() == []
    left = _files(app)
    assert not {f for f in left if any(name in f for name in names)}
    assert left == {f for f in files if not any(name in f for name in names)}
    # What stays, stays.
    assert db.session.execute(sa.select(sa.func.count()).select_from(SurveyBallot)
                              ).scalar() == ballots
    assert db.session.execute(sa.select(sa.func.count()).select_from(SurveyParticipation)
                              ).scalar() == participations
    assert _results(staff, survey_id) == results
    assert _register() == register
    for report_id in my_reports:
        report = db.session.get(Report, report_id)
        assert report.reporter_id is None and report.reporter_erased
    assert staff.get(f"/api/v1/reports/{my_reports[0]}").status_code == 200
