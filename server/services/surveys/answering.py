"""Answering a survey: once per resident or household, validated whole, stored unlinkably.

A submission writes a participation row (who) and a ballot with its answers (what) in one
transaction; the two share no key, and the ballot carries nothing else the identity side
knows (no building, day, duration or 代填 mark). The unique constraint on (survey, respondent
key) makes a second answer fail even when fifty arrive at once; the loser gets 409, or - when
it repeats the first request's Idempotency-Key - the first result.

Answer time is the server's: reading a survey hands the resident a signed `answer_token`
holding when it was first served; a response sent sooner than the survey's minimum after that
is refused with a kind request to look again, and nothing is stored, so the resident simply
submits again (the clock keeps running from the first page). A too-fast flag on the ballot
would be one more link: the server logs show when each phone fetched and submitted.
"""
import hashlib
import math
import uuid

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import (Household, SurveyAnswer, SurveyBallot, SurveyComment,
                           SurveyParticipation)
from server.services import access, audit, content_checks, households
from server.models.base import utcnow
from server.services.surveys import definitions, lifecycle

TEXT_LIMITS = {"short_text": 100, "long_text": 1000}
# Fewer satisfaction answers than this cannot show a pattern worth flagging.
STRAIGHT_LINE_MIN = 3
THANKS = "提交成功，感谢您的参与！"


class _Respondent:
    def __init__(self, key, community, household=None, resident=None, staff=None):
        self.key, self.community, self.household = key, community, household
        self.resident, self.staff = resident, staff


def _token_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="survey-answer")


def answer_token(resident, survey):
    """A signed note of when this resident was served this survey: the start of their
    answer time. Kept by the phone (with its draft), never stored by us."""
    return _token_serializer().dumps({"s": survey.id, "r": resident.id})


def _elapsed_seconds(actor, survey, token):
    """Seconds since the survey was first served to this resident, from their token."""
    if not token:
        raise Invalid("请重新打开问卷后再提交", slug="invalid_answers",
                      details={"fields": {"answer_token": ["缺少答题凭据"]}})
    try:
        claims, issued = _token_serializer().loads(token, return_timestamp=True)
    except BadSignature:
        claims, issued = None, None
    if not isinstance(claims, dict) or claims.get("s") != survey.id or \
            claims.get("r") != actor.resident.id:
        raise Invalid("答题凭据无效，请重新打开问卷后再提交", slug="invalid_answers",
                      details={"fields": {"answer_token": ["答题凭据无效"]}})
    return (utcnow() - issued).total_seconds()


def _refuse_if_too_fast(actor, survey, token):
    if actor.is_staff:
        return  # transcribing paper takes its own time: speed says nothing about 代填
    elapsed = _elapsed_seconds(actor, survey, token)
    if elapsed < survey.min_duration_seconds:
        wait = math.ceil(survey.min_duration_seconds - elapsed)
        raise Invalid("您这次作答比较快，请再看一遍题目和答案，确认无误后重新提交",
                      slug="answered_too_fast",
                      details={"min_duration_seconds": survey.min_duration_seconds,
                               "retry_after_seconds": wait})


def submit(actor, survey_id, answers, answer_token=None, household_id=None,
           idempotency_key=None):
    """Store one response; return the receipt (the same receipt for a retried request)."""
    if actor.is_staff and actor.staff.role != "committee":
        # Before the survey is looked up: the wrong role learns nothing about it.
        raise Forbidden("代填只能由小区所属居委会办理", slug="committee_only")
    survey = lifecycle.get_for(actor, survey_id)
    respondent = (_assisted(actor, survey, household_id) if actor.is_staff
                  else _resident(actor, survey, household_id))
    key_hash = _hash(respondent, idempotency_key)
    existing = _participation(survey.id, respondent.key)
    if existing is not None:
        return _replay_or_conflict(survey, existing, key_hash)
    if not lifecycle.accepting(survey):
        raise Conflict("问卷当前不在填写时间内", slug="survey_not_open",
                       details={"status": survey.status})
    parsed = validate(survey, answers)
    _refuse_if_too_fast(actor, survey, answer_token)
    participation = SurveyParticipation(
        survey_id=survey.id, respondent_key=respondent.key, community_id=respondent.community.id,
        resident_id=respondent.resident.id if respondent.resident else None,
        household_id=respondent.household.id if respondent.household else None,
        assisted_by_id=respondent.staff.id if respondent.staff else None,
        idempotency_hash=key_hash)
    try:
        db.session.add(participation)
        _write_ballot(survey, respondent, parsed)
        if respondent.staff is not None:
            # The audit entry names the household and the survey (the identity side), never
            # the ballot: 代填 is accountable without opening the ballot to anyone.
            db.session.flush()
            audit.record(actor, "survey.assisted_response", participation, None,
                         {"survey_id": survey.id, "household_id": respondent.household.id})
        db.session.commit()
    except IntegrityError:
        # Another request for the same respondent committed first (caught at a flush or at
        # the commit).
        db.session.rollback()
        winner = _participation(survey.id, respondent.key)
        if winner is None:
            raise
        return _replay_or_conflict(survey, winner, key_hash)
    return receipt(survey, participation)


def receipt(survey, participation):
    return {"survey_id": survey.id, "status": "submitted",
            "assisted": participation.assisted_by_id is not None, "message": THANKS}


def _replay_or_conflict(survey, participation, key_hash):
    if key_hash is not None and participation.idempotency_hash == key_hash:
        return receipt(survey, participation)
    who = "该户" if survey.response_unit == "household" else "您"
    raise Conflict(f"{who}已经填写过这份问卷", slug="already_answered")


def _participation(survey_id, respondent_key):
    return db.session.execute(db.select(SurveyParticipation).filter_by(
        survey_id=survey_id, respondent_key=respondent_key)).scalar_one_or_none()


def _hash(respondent, idempotency_key):
    if not idempotency_key:
        return None
    who = respondent.resident.id if respondent.resident else f"s{respondent.staff.id}"
    return hashlib.sha256(f"{who}:{respondent.key}:{idempotency_key}".encode()).hexdigest()


def answered_among(resident, survey_ids):
    """Which of these surveys the resident (or, for a per-household survey, their household)
    has answered: one query for a whole page of surveys."""
    return set(answer_states(resident, survey_ids))


def answer_states(resident, survey_ids):
    """{survey_id: who answered} for the surveys among these that the resident or their
    household answered: "self" (this resident), "household" (another member of the household,
    per-household survey) or "paper" (the committee entered the household's paper answers,
    代填). Read from participations alone, the identity side the household already shares:
    never from a ballot, so nothing of what was answered."""
    membership = lifecycle.approved_membership(resident)
    if membership is None or not survey_ids:
        return {}
    household = _household_of(membership)
    keys = [f"r{resident.id}"] + ([f"h{household.id}"] if household else [])
    states = {}
    for survey_id, resident_id, assisted_by_id in db.session.execute(db.select(
            SurveyParticipation.survey_id, SurveyParticipation.resident_id,
            SurveyParticipation.assisted_by_id).where(
            SurveyParticipation.survey_id.in_(list(survey_ids)),
            SurveyParticipation.respondent_key.in_(keys))):
        state = ("self" if resident_id == resident.id
                 else "paper" if assisted_by_id is not None else "household")
        if states.get(survey_id) != "self":  # their own answer says the most
            states[survey_id] = state
    return states


def _household_of(membership):
    return membership.household or households.find_household(
        membership.community_id, membership.building, membership.unit, membership.room)


def _resident(actor, survey, household_id):
    if household_id is not None:
        raise Invalid("居民不能代他人填写", slug="invalid_answers",
                      details={"fields": {"household_id": ["居民不能代他人填写"]}})
    membership = lifecycle.approved_membership(actor.resident)
    household = _household_of(membership)
    if survey.response_unit == "household":
        if household is None:
            raise Forbidden("您登记的住址未能与小区住户底册匹配，暂不能参与按户填写的问卷，"
                            "请联系居委会核对", slug="household_not_registered")
        key = f"h{household.id}"
    else:
        key = f"r{actor.resident.id}"
    return _Respondent(key, membership.community, household, resident=actor.resident)


def _assisted(actor, survey, household_id):
    if actor.staff.role != "committee":
        raise Forbidden("代填只能由小区所属居委会办理", slug="committee_only")
    if household_id is None:
        raise Invalid("代填须指明住户", slug="invalid_answers",
                      details={"fields": {"household_id": ["代填须指明住户"]}})
    household = db.session.get(Household, household_id)
    audience = {c.id: c for c in survey.communities}
    community = audience.get(household.community_id) if household else None
    if community is None or not access.staff_sees_community(actor.staff, community):
        raise NotFound("未找到该住户", slug="household_not_found")
    return _Respondent(f"h{household.id}", community, household, staff=actor.staff)


# --- validation ---------------------------------------------------------------------------

def validate(survey, answers):
    """{key: value} checked against the questions and their conditions; any problem rejects
    the whole response. Returns {question: normalised value} for the questions answered."""
    questions = {q.key: q for q in survey.questions}
    errors = {key: ["问卷中没有这道题"] for key in answers if key not in questions}
    parsed, by_key = {}, {}
    for question in survey.questions:
        value = answers.get(question.key)
        empty = value is None or value == "" or value == []
        if not _shown(question, by_key):
            if not empty:
                errors[question.key] = ["根据前面的回答，这道题不需要回答"]
            continue
        if empty:
            if question.required:
                errors[question.key] = ["这道题必须回答"]
            continue
        normalised, problem = _parse(question, value)
        if problem:
            errors[question.key] = [problem]
            continue
        parsed[question] = by_key[question.key] = normalised
    if errors:
        raise Invalid("问卷填写有误，请检查后重新提交", slug="invalid_answers",
                      details={"fields": {"answers": errors}})
    return parsed


def _shown(question, answered):
    condition = question.show_if
    if not condition:
        return True
    value = answered.get(condition["question"])
    if value is None:
        return False
    values = value if isinstance(value, list) else [value]
    return any(v in condition["in"] for v in values)


def _parse(question, value):
    kind = question.kind
    if kind == "satisfaction":
        if isinstance(value, bool) or not isinstance(value, int) or \
                value not in definitions.LEVELS:
            return None, "请选择 非常满意 至 非常不满意 或 不了解"
        return value, None
    if kind in lifecycle.CHOICE_KINDS:
        allowed = {o["value"] for o in question.options}
        values = value if kind == "multiple" else [value]
        if kind == "multiple" and not isinstance(value, list):
            return None, "多选题的答案应为选项列表"
        if not all(isinstance(v, str) and v in allowed for v in values):
            return None, "所选的选项不存在"
        if len(set(values)) != len(values):
            return None, "选项不能重复"
        return (values if kind == "multiple" else value), None
    if not isinstance(value, str) or not value.strip():
        return None, "请填写文字"
    if len(value.strip()) > TEXT_LIMITS[kind]:
        return None, f"最多 {TEXT_LIMITS[kind]} 个字"
    return value.strip(), None


# --- the answer side ------------------------------------------------------------------------

def _write_ballot(survey, respondent, parsed):
    levels = [v for q, v in parsed.items() if q.kind == "satisfaction"]
    ballot = SurveyBallot(
        id=uuid.uuid4(), survey_id=survey.id, community_id=respondent.community.id,
        straight_line=len(levels) >= STRAIGHT_LINE_MIN and len(set(levels)) == 1)
    db.session.add(ballot)
    # No ORM relationship ties answers to their ballot, so the ballot is written first.
    db.session.flush()
    for question, value in parsed.items():
        if question.kind == "satisfaction":
            db.session.add(SurveyAnswer(ballot_id=ballot.id, question_id=question.id, seq=0,
                                        survey_id=survey.id, level=value))
        elif question.kind in lifecycle.CHOICE_KINDS:
            values = value if isinstance(value, list) else [value]
            db.session.add_all(SurveyAnswer(ballot_id=ballot.id, question_id=question.id,
                                            seq=i, survey_id=survey.id, choice=v)
                               for i, v in enumerate(values))
        else:
            _write_comment(survey, respondent, question, value)
    return ballot


def _write_comment(survey, respondent, question, text):
    # Kept apart from the ballot: no ballot id, no building, no time.
    comment = SurveyComment(id=uuid.uuid4(), survey_id=survey.id, question_id=question.id,
                            community_id=respondent.community.id, text=text, status="shown")
    db.session.add(comment)
    if respondent.resident is not None:
        # WeChat's msgSecCheck needs the author's openid while it runs; its answer detaches
        # the comment from the check (content_checks.settle_anonymous).
        comment.status = "pending"
        check = content_checks.submit_text(
            respondent.resident, text, "survey_comment", comment.id,
            community=respondent.community)
        comment.content_check = check
        if check.status != "pending":  # checks off: nothing to wait for
            content_checks.settle_anonymous(check)
