"""The attacker with a full dump: every table (and on PostgreSQL the rows' transaction ids),
plus the server's log, after residents of one compound answered - one alone in building 1,
two in building 2, six in building 3, one 代填 by the committee in building 4, on two
different days, with comments that WeChat passed or held.

For every ballot and every comment, the attacker starts from the households that took part
and narrows them down by every join the dump offers: each column the answer side shares by
name with a table that leads to households (participations, households, memberships,
residents, content checks, audit log, outbox, notifications...), each key of the answer side
found anywhere on the identity side (JSON payloads included) or in the log, each day or time
on the answer side against the days of identity-side events, and PostgreSQL's xmin. No ballot
or comment may be narrowed to fewer than 5 households (docs/surveys.md states what this
covers and what it does not)."""
import json
import logging
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import responses
import sqlalchemy as sa
import time_machine

from server.extensions import db as _db
from server.models.base import utcnow
from server.services.surveys import privacy
from tests import wechat_http
from tests.jobs.worker import work
from tests.surveys_support import answers, committee, create_survey, household, member, submit

SHANGHAI = ZoneInfo("Asia/Shanghai")
ANSWER_SIDE = ("survey_ballots", "survey_answers", "survey_comments")
K = 5


def _postgres():
    return _db.engine.dialect.name == "postgresql"


def dump():
    """{table: [row dict]} for every table, as pg_dump or a copy of the SQLite file gives."""
    out = {}
    for table in _db.metadata.sorted_tables:
        extra = ", xmin::text AS xmin" if _postgres() else ""
        rows = _db.session.execute(sa.text(f"SELECT *{extra} FROM {table.name}")).mappings()
        out[table.name] = [dict(row) for row in rows]
    return out


def _households_of_residents(tables):
    by_resident = defaultdict(set)
    for m in tables["memberships"]:
        if m["household_id"] is not None:
            by_resident[m["resident_id"]].add(m["household_id"])
    return by_resident


def identity_rows(tables):
    """(table, row, households it leads to) for every row outside the answer side."""
    by_resident = _households_of_residents(tables)
    participation = {str(p["id"]): p["household_id"] for p in tables["survey_participations"]}
    for name, rows in tables.items():
        if name in ANSWER_SIDE:
            continue
        for row in rows:
            leads = set()
            if name == "households":
                leads.add(row["id"])
            if row.get("household_id") is not None:
                leads.add(row["household_id"])
            for column in ("resident_id", "author_id"):
                if row.get(column) is not None:
                    leads |= by_resident[row[column]]
            for payload in (row.get("after"), row.get("before"), row.get("payload")):
                data = json.loads(payload) if isinstance(payload, str) else payload
                if isinstance(data, dict) and data.get("household_id"):
                    leads.add(data["household_id"])
            if name == "audit_log" and str(row.get("object_id")) in participation:
                leads.add(participation[str(row["object_id"])])
            if leads:
                yield name, row, leads


def _day(value):
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
        return value.astimezone(SHANGHAI).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return _day(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


def candidates(subject, tables, took_part, log_text):
    """The households a ballot (with its answers) or a comment can still be, after every
    join the dump and the log offer."""
    left = set(took_part)
    identity = list(identity_rows(tables))
    for column, value in subject.items():
        if column == "id" or value is None:
            continue
        matches = [leads for _name, row, leads in identity
                   if column in row and row[column] == value]
        if matches:
            left &= set().union(*matches)
        day = _day(value)
        if day is not None:  # a time on the answer side, against identity-side events
            left &= {h for _name, row, leads in identity for h in leads
                     if any(_day(v) == day for v in row.values())}
    # Its key, and any text it holds, searched for everywhere else (JSON payloads included).
    needles = [str(subject["id"])] + ([subject["text"]] if subject.get("text") else [])
    for needle in needles:
        found = [leads for _name, row, leads in identity
                 if any(needle in str(v) for v in row.values())]
        if found:
            left &= set().union(*found)
        assert needle not in log_text, f"{needle!r} from the answer side is in the log"
    return left


def _ballot_subjects(tables):
    answers_of = defaultdict(list)
    for answer in tables["survey_answers"]:
        answers_of[answer["ballot_id"]].append(answer)
    for ballot in tables["survey_ballots"]:
        subject = dict(ballot)
        for answer in answers_of[ballot["id"]]:
            for column, value in answer.items():
                if column not in ("ballot_id", "question_id", "seq"):
                    subject.setdefault(f"answer.{column}", value)
                    if column in ("survey_id", "xmin"):
                        subject[column if column == "survey_id" else "xmin"] = value
        yield subject


def _answer_as(resident_api, survey_id, day, **levels):
    with time_machine.travel(day, tick=False):
        token = resident_api.get(f"/api/v1/surveys/{survey_id}").json["answer_token"]
    with time_machine.travel(day + timedelta(minutes=3), tick=False):
        body = {"answers": answers(**levels), "answer_token": token}
        assert resident_api.post(f"/api/v1/surveys/{survey_id}/responses",
                                 json=body).status_code == 201


def test_no_ballot_or_comment_maps_to_fewer_than_five_households(app, api, org, db, caplog):
    caplog.set_level(logging.DEBUG)
    staff = committee(api)
    survey_id = create_survey(staff, [org.community.id],
                              opens_at=(utcnow() - timedelta(days=3)).isoformat())
    first_day = utcnow() - timedelta(days=2)
    second_day = first_day + timedelta(days=1)
    # Building 1: one household, alone on the first day, with a comment WeChat passes.
    _answer_as(member(api, org.community, "b1", building="1", room="101"), survey_id,
               first_day, q1=1, q2=1, q3="no", q6="一号楼门口垃圾没人清理")
    # Building 2: two households; one writes a comment WeChat holds for review.
    _answer_as(member(api, org.community, "b2a", building="2", room="101"), survey_id,
               second_day, q1=2, q2=3, q3="no", q6="物业不作为")
    _answer_as(member(api, org.community, "b2b", building="2", room="102"), survey_id,
               second_day, q1=4, q2=4, q3="yes", q4=5)
    # Building 3: six households.
    for n in range(6):
        _answer_as(member(api, org.community, f"b3{n}", building="3", room=f"{n}01"),
                   survey_id, second_day, q1=5, q2=4, q3="no", q5=["clean"])
    # Building 4: paper answers entered by the committee (代填), audited with the household.
    paper = household(org.community, "4", "1", "101")
    with time_machine.travel(second_day, tick=False):
        assert submit(staff, survey_id, answers(q1=3, q2=2),
                      household_id=paper.id).status_code == 201
    _run_checks(["pass", "review"])
    if _postgres():
        privacy.mix_due()
    db.session.expire_all()
    tables = dump()
    took_part = {p["household_id"] for p in tables["survey_participations"]}
    assert len(took_part) == 10
    log_text = "\n".join(record.getMessage() for record in caplog.records)
    ballots = list(_ballot_subjects(tables))
    assert len(ballots) == 10
    for ballot in ballots:
        left = candidates(ballot, tables, took_part, log_text)
        assert len(left) >= K, (ballot, left)
    comments = tables["survey_comments"]
    assert len(comments) == 2
    for comment in comments:
        left = candidates(comment, tables, took_part, log_text)
        assert len(left) >= K, (comment, left)


def _run_checks(verdicts):
    """Let WeChat answer the pending text checks, one verdict per check, in order."""
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        for suggest in verdicts:
            wechat_http.add_msg_sec_check(rsps, suggest=suggest, label=20001)
        work()


def test_the_attack_would_find_the_household_if_ballots_named_a_building(app, api, org, db):
    """The attacker is not blind: a ballot column shared with the identity side narrows."""
    survey_id = create_survey(committee(api), [org.community.id])
    for n in range(6):
        submit(member(api, org.community, f"m{n}", building=str(n + 1)), survey_id)
    tables = dump()
    took_part = {p["household_id"] for p in tables["survey_participations"]}
    tables["survey_ballots"][0].pop("xmin", None)  # this test is about columns, not the mix
    ballot = dict(tables["survey_ballots"][0], building="1")  # as the old design stored it
    assert len(candidates(ballot, tables, took_part, "")) == 1
    ballot = dict(tables["survey_ballots"][0], id=uuid.uuid4(),
                  answered_on=utcnow().astimezone(SHANGHAI).date())
    assert len(candidates(ballot, tables, took_part, "")) >= K  # one day, all of them
