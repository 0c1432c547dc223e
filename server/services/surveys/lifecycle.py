"""Surveys from draft to closed, and who may see and manage them.

- Staff create a survey for communities in their scope; their scope unit owns it. Staff whose
  scope contains the owner unit manage it (edit, publish, close); staff whose scope contains
  one of its communities see it once published. Outside that: 404.
- Residents see published and closed surveys of the community they were approved into.
- draft -> published (questions frozen; residents told through the outbox) -> closed.
"""
import re

from sqlalchemy import exists, or_

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import Community, Household, Membership, OrgUnit, Survey, SurveyQuestion
from server.models.base import utcnow
from server.models.survey import AREA_CODES, survey_communities
from server.services import access, audit, outbox
from server.services.pagination import paginate
from server.services.surveys import definitions

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
CHOICE_KINDS = ("single", "multiple")
TEXT_KINDS = ("short_text", "long_text")
# Fields a published survey may still change: wording around the questions and a later end.
PUBLISHED_EDITABLE = {"intro", "closes_at"}
ANNOUNCE_KIND = "survey.announce"


# --- reading ----------------------------------------------------------------------------

def approved_membership(resident):
    return db.session.execute(db.select(Membership).where(
        Membership.resident_id == resident.id, Membership.status == "approved")
    ).scalars().first()


def _in_audience(community_ids_condition):
    return exists().where(survey_communities.c.survey_id == Survey.id,
                          community_ids_condition)


def scope_unit_ids(staff):
    """The staff member's scope unit and every unit below it (at most four levels)."""
    ids = frontier = {staff.scope_unit_id}
    for _ in range(4):
        frontier = set(db.session.execute(db.select(OrgUnit.id).where(
            OrgUnit.parent_id.in_(frontier))).scalars())
        if not frontier:
            break
        ids = ids | frontier
    return ids


def _staff_condition(staff):
    in_scope = _in_audience(survey_communities.c.community_id.in_(
        db.select(Community.id).where(access.community_filter(staff))))
    managed = Survey.owner_unit_id.in_(scope_unit_ids(staff))
    return or_(managed, (Survey.status != "draft") & in_scope)


def _resident_condition(resident):
    membership = approved_membership(resident)
    if membership is None:
        return db.false()
    return Survey.status.in_(("published", "closed")) & _in_audience(
        survey_communities.c.community_id == membership.community_id)


def visibility(actor):
    return _staff_condition(actor.staff) if actor.is_staff else _resident_condition(
        actor.resident)


def list_for(actor, status, page, per_page):
    query = db.select(Survey).where(visibility(actor)).order_by(Survey.opens_at.desc(),
                                                                Survey.id.desc())
    now = utcnow()
    if status == "open":
        query = query.where(Survey.status == "published", Survey.opens_at <= now,
                            Survey.closes_at > now)
    elif status == "ended":
        query = query.where(or_(Survey.status == "closed", (Survey.status == "published")
                                & (Survey.closes_at <= now)))
    elif status:
        query = query.where(Survey.status == status)
    return paginate(query, page, per_page)


def get_for(actor, survey_id):
    survey = db.session.execute(db.select(Survey).where(
        Survey.id == survey_id, visibility(actor))).scalar_one_or_none()
    if survey is None:
        raise NotFound("未找到该问卷", slug="survey_not_found")
    return survey


def may_manage(staff, survey):
    return access.staff_sees_unit(staff, survey.owner_unit)


def manage(actor, survey_id):
    survey = get_for(actor, survey_id)
    if not may_manage(actor.staff, survey):
        raise Forbidden("该问卷由%s管理" % survey.owner_unit.name, slug="survey_not_yours")
    return survey


def accepting(survey, now=None):
    now = now or utcnow()
    return survey.status == "published" and survey.opens_at <= now < survey.closes_at


def ended(survey, now=None):
    return survey.status == "closed" or (survey.status == "published"
                                         and survey.closes_at <= (now or utcnow()))


def audience_households(community_ids):
    return db.session.execute(db.select(db.func.count(Household.id)).where(
        Household.community_id.in_(community_ids))).scalar_one()


# --- writing ----------------------------------------------------------------------------

def create(actor, data):
    staff = actor.staff
    template = data.pop("template_code", None)
    if "questions" not in data:
        if template != definitions.DEFAULT_TEMPLATE_CODE:
            raise Invalid("请填写题目，或选择模板", slug="questions_required",
                          details={"fields": {"questions": ["请填写题目，或选择模板"]}})
        data["questions"] = definitions.DEFAULT_TEMPLATE_QUESTIONS
    survey = Survey(owner_unit_id=staff.scope_unit_id, created_by_id=staff.id,
                    definition_version=definitions.CURRENT_DEFINITION, template_code=template,
                    status="draft")
    _apply(staff, survey, data)
    db.session.add(survey)
    db.session.flush()
    audit.record(actor, "survey.create", survey, None, snapshot(survey))
    db.session.commit()
    return survey


def update(actor, survey_id, data):
    survey = manage(actor, survey_id)
    if survey.status == "closed" or (survey.status == "published"
                                     and set(data) - PUBLISHED_EDITABLE):
        raise Conflict("问卷发布后题目与设置不能修改，只能修改说明和截止时间",
                       slug="survey_frozen", details={"status": survey.status})
    before = snapshot(survey)
    _apply(actor.staff, survey, data)
    audit.record(actor, "survey.update", survey, before, snapshot(survey))
    db.session.commit()
    return survey


def _apply(staff, survey, data):
    if "community_ids" in data:
        survey.communities = _audience(staff, data.pop("community_ids"))
    if "questions" in data:
        questions = build_questions(data.pop("questions"))
        if survey.questions:
            # The old rows go first: keys are unique per survey, and a flush would otherwise
            # insert the new q1 before deleting the old one.
            survey.questions.clear()
            db.session.flush()
        survey.questions = questions
    for field, value in data.items():
        setattr(survey, field, value)
    if survey.opens_at is not None and survey.closes_at is not None \
            and survey.opens_at >= survey.closes_at:
        raise Invalid("截止时间须晚于开始时间", slug="invalid_window",
                      details={"fields": {"closes_at": ["截止时间须晚于开始时间"]}})


def _audience(staff, community_ids):
    ids = sorted(set(community_ids))
    communities = db.session.execute(db.select(Community).where(
        Community.id.in_(ids), access.community_filter(staff))).scalars().all()
    missing = set(ids) - {c.id for c in communities}
    if missing:
        raise NotFound("未找到该小区", slug="community_not_found",
                       details={"community_ids": sorted(missing)})
    return list(communities)


def publish(actor, survey_id):
    survey = manage(actor, survey_id)
    if survey.status != "draft":
        raise Conflict("该问卷已发布", slug="survey_not_draft", details={"status": survey.status})
    if not survey.questions:
        raise Conflict("问卷还没有题目，不能发布", slug="survey_has_no_questions")
    if not survey.communities:
        raise Conflict("请先选择参与的小区", slug="survey_has_no_audience")
    if survey.closes_at <= utcnow():
        raise Conflict("截止时间已过，请先修改截止时间", slug="survey_window_passed")
    before = snapshot(survey)
    survey.status = "published"
    survey.published_at = utcnow()
    audit.record(actor, "survey.publish", survey, before, snapshot(survey))
    # Residents are told by a job (one survey may reach many thousands of them): the promise
    # commits with the publication, or not at all.
    outbox.add(ANNOUNCE_KIND, {"survey_id": survey.id}, dedupe_key=f"survey-announce-{survey.id}")
    db.session.commit()
    return survey


def close(actor, survey_id):
    from server.services import scoring

    survey = manage(actor, survey_id)
    if survey.status != "published":
        raise Conflict("只有已发布的问卷可以结束", slug="survey_not_published",
                       details={"status": survey.status})
    before = snapshot(survey)
    survey.status = "closed"
    survey.closed_at = utcnow()
    audit.record(actor, "survey.close", survey, before, snapshot(survey))
    for community in survey.communities:
        scoring.request_recompute(community.id, "survey_closed")
    db.session.commit()
    return survey


def snapshot(survey):
    return {"status": survey.status, "title": survey.title,
            "response_unit": survey.response_unit,
            "opens_at": survey.opens_at.isoformat() if survey.opens_at else None,
            "closes_at": survey.closes_at.isoformat() if survey.closes_at else None,
            "community_ids": [c.id for c in survey.communities],
            "questions": len(survey.questions), "count_flagged": survey.count_flagged,
            "min_duration_seconds": survey.min_duration_seconds}


# --- questions --------------------------------------------------------------------------

def build_questions(specs):
    """SurveyQuestion rows from question dicts, or Invalid naming every problem by index."""
    errors, questions, seen = {}, [], {}
    for index, spec in enumerate(specs):
        key = spec.get("key") or f"q{index + 1}"
        problems = _question_problems(spec, key, seen)
        if problems:
            errors[str(index)] = problems
        seen[key] = spec
        questions.append(SurveyQuestion(
            position=index, key=key, kind=spec["kind"], text=spec["text"],
            required=spec.get("required", True),
            options=[dict(o) for o in spec.get("options") or []],
            area_code=spec.get("area_code"), indicator_code=spec.get("indicator_code"),
            show_if=dict(spec["show_if"]) if spec.get("show_if") else None))
    if errors:
        raise Invalid("题目设置有误", slug="invalid_questions",
                      details={"fields": {"questions": errors}})
    return questions


def _question_problems(spec, key, earlier):
    kind, problems = spec["kind"], []
    if not KEY_PATTERN.match(key):
        problems.append("题目编号只能由小写字母、数字和下划线组成，且以字母开头")
    if key in earlier:
        problems.append(f"题目编号 {key} 重复")
    options = spec.get("options") or []
    if kind == "satisfaction":
        if spec.get("area_code") not in AREA_CODES:
            problems.append("满意度题必须标注标准领域（S1–S7）")
        if options:
            problems.append("满意度题的选项是固定的五级加“不了解”，不能自定义")
    else:
        if spec.get("area_code") or spec.get("indicator_code"):
            problems.append("只有满意度题可以标注领域和指标")
        if kind in CHOICE_KINDS:
            values = [o["value"] for o in options]
            if len(values) < 2:
                problems.append("选择题至少需要两个选项")
            if len(set(values)) != len(values):
                problems.append("选项值不能重复")
        elif options:
            problems.append("填空题没有选项")
    condition = spec.get("show_if")
    if condition:
        problems += _condition_problems(condition, earlier)
    return problems


def _condition_problems(condition, earlier):
    target = earlier.get(condition["question"])
    if target is None:
        return ["显示条件只能引用前面的题目"]
    if target["kind"] == "satisfaction":
        allowed = set(definitions.LEVELS)
    elif target["kind"] in CHOICE_KINDS:
        allowed = {o["value"] for o in target.get("options") or []}
    else:
        return ["显示条件只能引用选择题或满意度题"]
    if any(value not in allowed for value in condition["in"]):
        return ["显示条件中的取值不是所引用题目的选项"]
    return []
