"""A survey's results, live while it is open.

Every number comes from a handful of GROUP BY queries whose size depends on the questions,
levels and buildings, never on the number of ballots; Python only arranges those few rows.
Staff see the communities of the survey that are in their scope; residents see a closed
survey's results (without the building breakdown and without comments).
"""
import sqlalchemy as sa

from server.errors import NotFound
from server.extensions import db
from server.models import (Community, ContentCheck, Survey, SurveyAnswer, SurveyBallot,
                           SurveyComment, SurveyParticipation)
from server.models.content_check import PUBLIC_STATES
from server.models.survey import survey_communities
from server.services import access
from server.services.surveys import definitions, lifecycle
from server.services.surveys.stats import MIN_CELL, MIN_COMMENTS, Tally, suppress

MAX_COMMENTS_SHOWN = 200


def results_for(actor, survey_id):
    survey = lifecycle.get_for(actor, survey_id)
    if not actor.is_staff and not lifecycle.ended(survey):
        raise NotFound("问卷结束后才能查看结果", slug="results_not_available")
    community_ids = visible_communities(actor, survey)
    return compute(survey, community_ids, detailed=actor.is_staff)


def visible_communities(actor, survey):
    ids = [c.id for c in survey.communities]
    if actor.is_staff and not lifecycle.may_manage(actor.staff, survey):
        ids = [c.id for c in survey.communities if access.staff_sees_community(actor.staff, c)]
    return ids


def counted(survey):
    """The ballots that count: all of them, or those not flagged, as the survey says."""
    if survey.count_flagged:
        return sa.true()
    return sa.not_(SurveyBallot.too_fast | SurveyBallot.straight_line)


def compute(survey, community_ids, detailed=True):
    definition = definitions.definition(survey.definition_version)
    answers = _answer_groups(survey, community_ids)
    ballots = _ballot_summary(survey, community_ids)
    areas = _areas(survey, answers, definition)
    out = {
        "survey_id": survey.id, "status": survey.status,
        "live": not lifecycle.ended(survey),
        "definition": {"version": definition.version, "text": definition.text},
        "ballots": ballots,
        "response_rate": _response_rate(survey, community_ids, ballots),
        "overall": _overall(answers, definition),
        "areas": areas,
        "questions": _questions(survey, answers, definition, community_ids, detailed),
        "buildings": _buildings(survey, community_ids, definition) if detailed else None,
        "trend": _trend(survey, community_ids, areas),
    }
    return out


# --- answers ------------------------------------------------------------------------------

def _answer_groups(survey, community_ids):
    """{(question_id, level, choice, assisted): (answers, respondents)} over counted ballots."""
    query = (db.select(SurveyAnswer.question_id, SurveyAnswer.level, SurveyAnswer.choice,
                       SurveyBallot.assisted, sa.func.count(),
                       sa.func.sum(sa.case((SurveyAnswer.seq == 0, 1), else_=0)))
             .join(SurveyBallot, SurveyBallot.id == SurveyAnswer.ballot_id)
             .where(SurveyAnswer.survey_id == survey.id,
                    SurveyBallot.community_id.in_(community_ids), counted(survey))
             .group_by(SurveyAnswer.question_id, SurveyAnswer.level, SurveyAnswer.choice,
                       SurveyBallot.assisted))
    return {(q, level, choice, bool(assisted)): (n, int(first or 0))
            for q, level, choice, assisted, n, first in db.session.execute(query)}


def _tallies(answers, question_ids, assisted=None):
    tally = Tally()
    for (question_id, level, _choice, is_assisted), (count, _) in answers.items():
        if question_id in question_ids and level is not None and (
                assisted is None or assisted == is_assisted):
            tally.add(level, count)
    return tally


def _overall(answers, definition):
    ids = {q for (q, level, _c, _a) in answers if level is not None}
    return _tallies(answers, ids).summary(definition)


def _areas(survey, answers, definition):
    out = []
    for code, name in definitions.AREAS.items():
        ids = {q.id for q in survey.questions if q.kind == "satisfaction" and q.area_code == code}
        if not ids:
            continue
        area = {"code": code, "name": name, "question_keys": [
            q.key for q in survey.questions if q.id in ids]}
        area.update(_tallies(answers, ids).summary(definition))
        # 代填 ballots are counted in the total and shown apart, so their weight is visible.
        area["online"] = _tallies(answers, ids, assisted=False).summary(definition)
        area["assisted"] = _tallies(answers, ids, assisted=True).summary(definition)
        out.append(area)
    return out


def _questions(survey, answers, definition, community_ids, detailed):
    comments = _comments(survey, community_ids, detailed)
    out = []
    for q in survey.questions:
        item = {"key": q.key, "text": q.text, "kind": q.kind, "area_code": q.area_code,
                "indicator_code": q.indicator_code, "stats": None, "options": None,
                "respondents": None, "comments": None}
        if q.kind == "satisfaction":
            item["stats"] = _tallies(answers, {q.id}).summary(definition)
            item["respondents"] = item["stats"]["answers"]
        elif q.kind in lifecycle.CHOICE_KINDS:
            _choice_counts(item, q, answers)
        else:
            item["comments"] = comments.get(q.id, {"count": 0, "shown": False, "items": []})
            item["respondents"] = item["comments"]["count"]
        out.append(item)
    return out


def _choice_counts(item, question, answers):
    counts, respondents = {}, 0
    for (question_id, _level, choice, _a), (count, first) in answers.items():
        if question_id == question.id:
            counts[choice] = counts.get(choice, 0) + count
            respondents += first
    item["respondents"] = respondents
    if respondents < MIN_CELL:
        return
    item["options"] = [{"value": o["value"], "label": o["label"],
                        "count": counts.get(o["value"], 0),
                        "share": round(counts.get(o["value"], 0) / respondents, 4)}
                       for o in question.options]


def _comments(survey, community_ids, detailed):
    """Per text question: how many comments may be shown (content check passed or skipped,
    or typed by staff), and - for staff, once there are at least MIN_COMMENTS - the texts,
    with no identity and in random (key) order."""
    visible = sa.or_(SurveyComment.content_check_id.is_(None),
                     ContentCheck.status.in_(PUBLIC_STATES))
    base = (db.select(SurveyComment.question_id)
            .outerjoin(ContentCheck, ContentCheck.id == SurveyComment.content_check_id)
            .where(SurveyComment.survey_id == survey.id,
                   SurveyComment.community_id.in_(community_ids), visible))
    counts = dict(db.session.execute(
        base.add_columns(sa.func.count()).group_by(SurveyComment.question_id)).all())
    out = {}
    for question_id, count in counts.items():
        shown = detailed and count >= MIN_COMMENTS
        items = []
        if shown:
            items = list(db.session.execute(
                base.with_only_columns(SurveyComment.text).where(
                    SurveyComment.question_id == question_id)
                .order_by(SurveyComment.id).limit(MAX_COMMENTS_SHOWN)).scalars())
        out[question_id] = {"count": count, "shown": shown, "items": items}
    return out


# --- ballots, response rate ---------------------------------------------------------------

def _ballot_summary(survey, community_ids):
    rows = db.session.execute(
        db.select(SurveyBallot.assisted, SurveyBallot.too_fast, SurveyBallot.straight_line,
                  sa.func.count())
        .where(SurveyBallot.survey_id == survey.id,
               SurveyBallot.community_id.in_(community_ids))
        .group_by(SurveyBallot.assisted, SurveyBallot.too_fast, SurveyBallot.straight_line))
    out = {"total": 0, "counted": 0, "online": 0, "assisted": 0,
           "flagged": {"total": 0, "too_fast": 0, "straight_line": 0,
                       "counted": survey.count_flagged,
                       "min_duration_seconds": survey.min_duration_seconds}}
    for assisted, too_fast, straight_line, count in rows:
        flagged = too_fast or straight_line
        out["total"] += count
        out["assisted" if assisted else "online"] += count
        out["flagged"]["total"] += count if flagged else 0
        out["flagged"]["too_fast"] += count if too_fast else 0
        out["flagged"]["straight_line"] += count if straight_line else 0
        out["counted"] += count if (survey.count_flagged or not flagged) else 0
    return out


def _response_rate(survey, community_ids, ballots):
    registered = lifecycle.audience_households(community_ids)
    responding = db.session.execute(
        db.select(sa.func.count(sa.distinct(SurveyParticipation.household_id))).where(
            SurveyParticipation.survey_id == survey.id,
            SurveyParticipation.community_id.in_(community_ids))).scalar_one()
    return {"registered_households": registered, "responding_households": responding,
            "responses": ballots["total"],
            "rate": round(responding / registered, 4) if registered else None}


# --- buildings ----------------------------------------------------------------------------

def building_label(building):
    if not building:
        return "未登记楼栋"
    return f"{building}号楼" if building.isdigit() else building


def _buildings(survey, community_ids, definition):
    """Ballots and 满意率 by community and building, with small cells suppressed at both
    levels (buildings within a community; communities within the survey)."""
    where = (SurveyBallot.survey_id == survey.id, SurveyBallot.community_id.in_(community_ids),
             counted(survey))
    ballot_counts = db.session.execute(
        db.select(SurveyBallot.community_id, SurveyBallot.building, sa.func.count())
        .where(*where).group_by(SurveyBallot.community_id, SurveyBallot.building)).all()
    levels = db.session.execute(
        db.select(SurveyBallot.community_id, SurveyBallot.building, SurveyAnswer.level,
                  sa.func.count())
        .join(SurveyAnswer, SurveyAnswer.ballot_id == SurveyBallot.id)
        .where(*where, SurveyAnswer.level.is_not(None))
        .group_by(SurveyBallot.community_id, SurveyBallot.building, SurveyAnswer.level)).all()
    tallies = {}
    for community_id, building, level, count in levels:
        tallies.setdefault((community_id, building), Tally()).add(level, count)
    names = dict(db.session.execute(db.select(Community.id, Community.name).where(
        Community.id.in_(community_ids))).all())
    per_community = {}
    for community_id, building, count in ballot_counts:
        per_community.setdefault(community_id, {})[building] = count
    hidden_communities = suppress({cid: sum(cells.values())
                                   for cid, cells in per_community.items()})
    out = []
    for community_id in sorted(per_community):
        cells = per_community[community_id]
        hide_all = community_id in hidden_communities
        hidden = set(cells) if hide_all else suppress(cells)
        total = Tally()
        for building in cells:
            total.merge(tallies.get((community_id, building), Tally()))
        out.append({
            "community_id": community_id, "community": names.get(community_id, ""),
            "suppressed": hide_all,
            "ballots": None if hide_all else sum(cells.values()),
            "rate": None if hide_all else total.summary(definition, 0)["rate"],
            "buildings": [
                {"building": building_label(b), "suppressed": b in hidden,
                 "ballots": None if b in hidden else cells[b],
                 "rate": None if b in hidden else tallies.get(
                     (community_id, b), Tally()).summary(definition, 0)["rate"]}
                for b in sorted(cells, key=lambda b: (len(b), b))]})
    return out


# --- trend --------------------------------------------------------------------------------

def previous_survey(survey, community_ids):
    if not survey.template_code:
        return None
    return db.session.execute(
        db.select(Survey).where(
            Survey.template_code == survey.template_code, Survey.id != survey.id,
            Survey.status != "draft", Survey.opens_at < survey.opens_at,
            sa.exists().where(survey_communities.c.survey_id == Survey.id,
                              survey_communities.c.community_id.in_(community_ids)))
        .order_by(Survey.opens_at.desc(), Survey.id.desc()).limit(1)).scalar_one_or_none()


def _trend(survey, community_ids, areas):
    previous = previous_survey(survey, community_ids)
    if previous is None:
        return None
    shared = [c.id for c in previous.communities if c.id in set(community_ids)]
    before = {a["code"]: a for a in _areas(previous, _answer_groups(previous, shared),
                                           definitions.definition(previous.definition_version))}
    rows = []
    for area in areas:
        prior = before.get(area["code"], {})
        rate, old = area["rate"], prior.get("rate")
        rows.append({"code": area["code"], "name": area["name"], "rate": rate,
                     "previous_rate": old,
                     "change": round(rate - old, 4) if rate is not None and old is not None
                     else None})
    return {"survey_id": previous.id, "title": previous.title,
            "definition_version": previous.definition_version,
            "comparable": previous.definition_version == survey.definition_version,
            "areas": rows}

