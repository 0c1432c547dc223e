"""A survey's results: what any role or resident may learn, under one disclosure rule.

**The rule.** A figure is published only if it rests on at least MIN_CELL (5) households;
for a resident who answered, on at least 5 others (threshold 6). The respondent (a household,
or a resident in a per-resident survey) is the unit everywhere.

**Cells, not complements.** The smallest published unit is a cell: one question in one
community (the respondents' community is all a ballot says about them). A cell under the
threshold is not hidden beside a total that would give it away: it is left out of every total
- area, overall, community, the whole scope - so any difference of two published figures,
on one screen, across roles, across screens (the trend) or in an export, is a sum of published
cells, each resting on enough households. What is withheld is counted and said.

**Steps.** Figures come from the survey's current release (releases.py), which moves a
community's cells only when at least 5 new respondents arrived there since its last release;
comments come out in batches of at least 8. So two readings taken at different times differ
by at least five households, or not at all.

Staff see the communities of the survey that are in their scope; residents see an ended
survey's results (without the community breakdown and without comments).
"""
from server.errors import NotFound
from server.extensions import db
from server.models import Community, Household, Survey, SurveyComment
from server.models.survey import survey_communities
from server.services import access
from server.services.surveys import definitions, lifecycle, releases
from server.services.surveys.stats import (MIN_CELL, MIN_COMMENTS, ClusterRatio, level_counts,
                                           summary)

MAX_COMMENTS_SHOWN = 200


def results_for(actor, survey_id):
    survey = lifecycle.get_for(actor, survey_id)
    if not actor.is_staff and not lifecycle.ended(survey):
        raise NotFound("问卷结束后才能查看结果", slug="results_not_available")
    community_ids = visible_communities(actor, survey)
    return compute(survey, community_ids, detailed=actor.is_staff,
                   k=threshold_for(actor, survey))


def threshold_for(actor, survey):
    """5 households; a resident who answered needs 5 others besides themselves."""
    if actor.is_staff:
        return MIN_CELL
    from server.services.surveys import answering

    answered = survey.id in answering.answered_among(actor.resident, [survey.id])
    return MIN_CELL + 1 if answered else MIN_CELL


def visible_communities(actor, survey):
    ids = [c.id for c in survey.communities]
    if actor.is_staff and not lifecycle.may_manage(actor.staff, survey):
        ids = [c.id for c in survey.communities if access.staff_sees_community(actor.staff, c)]
    return ids


def compute(survey, community_ids, detailed=True, k=MIN_CELL, trend=True):
    definition = definitions.definition(survey.definition_version)
    release = releases.current(survey, community_ids)
    cells = release.cells
    shown = {cid for cid, cell in cells.items() if cell["respondents"] >= k}
    areas = _areas(survey, cells, shown, definition, k)
    return {
        "survey_id": survey.id, "status": survey.status,
        "live": not lifecycle.ended(survey),
        "definition": {"version": definition.version, "text": definition.text},
        "disclosure": {"min_households": k, "communities": len(community_ids),
                       "withheld_communities": sum(
                           1 for cid in community_ids if 0 < cells[cid]["ballots"]
                           and cid not in shown),
                       "released_at": release.released_at},
        "ballots": _ballots(survey, cells, shown, k),
        "response_rate": response_rate(cells, shown, k),
        "overall": summary(_levels(survey, cells, shown, k, None), definition, k,
                           _cluster(cells, shown, k, "overall")),
        "areas": areas,
        "questions": _questions(survey, cells, shown, definition, k, detailed),
        "communities": _communities(survey, cells, k, definition) if detailed else None,
        "trend": _trend(survey, community_ids, areas, k) if trend else None,
    }


# --- cells -> figures ---------------------------------------------------------------------

def _valid(levels):
    return sum(n for lv, n in levels.items() if int(lv) in definitions.VALID_LEVELS)


def _published_levels(cell, question_id, k, unknown_alone=False):
    """A cell's level counts when at least k households gave a valid answer; with
    `unknown_alone`, a cell short of that still tells how many answered 不了解 when at least
    k answered at all (a question's own line; never part of an area or overall figure)."""
    levels = level_counts(cell["levels"].get(str(question_id), {}))
    if _valid(levels) >= k:
        return levels
    if unknown_alone and sum(levels.values()) >= k:
        return {definitions.UNKNOWN: levels.get(definitions.UNKNOWN, 0)}
    return None


def _levels(survey, cells, shown, k, question_ids, unknown_alone=False):
    """Level counts summed over the published cells of these questions (None: all
    satisfaction questions)."""
    ids = question_ids or [q.id for q in survey.questions if q.kind == "satisfaction"]
    total = {}
    for cid in shown:
        for question_id in ids:
            levels = _published_levels(cells[cid], question_id, k, unknown_alone) or {}
            for level, n in levels.items():
                total[level] = total.get(level, 0) + n
    return total


def _cluster(cells, shown, k, key):
    total = ClusterRatio()
    for cid in shown:
        total = total + ClusterRatio.of(cells[cid]["clusters"].get(str(k), {}).get(key))
    return total


def _areas(survey, cells, shown, definition, k):
    out = []
    for code, name in definitions.AREAS.items():
        questions = [q for q in survey.questions
                     if q.kind == "satisfaction" and q.area_code == code]
        if not questions:
            continue
        area = {"code": code, "name": name, "question_keys": [q.key for q in questions]}
        area.update(summary(_levels(survey, cells, shown, k, [q.id for q in questions]),
                            definition, k, _cluster(cells, shown, k, code)))
        out.append(area)
    return out


def _questions(survey, cells, shown, definition, k, detailed):
    out = []
    for q in survey.questions:
        item = {"key": q.key, "text": q.text, "kind": q.kind, "area_code": q.area_code,
                "indicator_code": q.indicator_code, "stats": None, "options": None,
                "respondents": None, "comments": None}
        if q.kind == "satisfaction":
            item["stats"] = summary(_levels(survey, cells, shown, k, [q.id], True),
                                    definition, k)
            item["respondents"] = item["stats"]["answers"]
        elif q.kind in lifecycle.CHOICE_KINDS:
            _choices(item, q, cells, shown, k)
        else:
            item["comments"] = _comments(survey, q, cells, shown, detailed)
        out.append(item)
    return out


def _choices(item, question, cells, shown, k):
    counts, respondents = {}, 0
    for cid in shown:
        entry = cells[cid]["choices"].get(str(question.id))
        if entry is None or entry["respondents"] < k:
            continue
        respondents += entry["respondents"]
        for value, n in entry["options"].items():
            counts[value] = counts.get(value, 0) + n
    if respondents < k:
        return
    item["respondents"] = respondents
    item["options"] = [{"value": o["value"], "label": o["label"],
                        "count": counts.get(o["value"], 0),
                        "share": round(counts.get(o["value"], 0) / respondents, 4)}
                       for o in question.options]


def _comments(survey, question, cells, shown, detailed):
    """The released comments of this question (batches of at least MIN_COMMENTS per
    community), for staff, without identity and in random (key) order."""
    released = {cid: cells[cid]["comments"].get(str(question.id), 0) for cid in shown}
    released = {cid: n for cid, n in released.items() if n >= MIN_COMMENTS}
    count = sum(released.values())
    items = []
    if detailed and released:
        items = list(db.session.execute(
            db.select(SurveyComment.text).where(
                SurveyComment.survey_id == survey.id,
                SurveyComment.question_id == question.id,
                SurveyComment.community_id.in_(list(released)),
                SurveyComment.status == "shown", SurveyComment.released.is_(True))
            .order_by(SurveyComment.id).limit(MAX_COMMENTS_SHOWN)).scalars())
    return {"count": count, "shown": bool(detailed and released), "items": items}


def _ballots(survey, cells, shown, k):
    """Respondents and flagged ballots of the published communities. Flagged ballots are a
    figure too: their count is shown only when it is 0 or rests on enough households, and
    then beside counted ballots it would give away, only one of the two is shown."""
    total = sum(cells[cid]["ballots"] for cid in shown)
    flagged = sum(cells[cid]["straight_line"] for cid in shown)
    counted = sum(cells[cid]["respondents"] for cid in shown)
    flag_shown = flagged == 0 or (flagged >= k and total - flagged >= k) or flagged == total
    return {"counted": counted,
            "total": total if (flag_shown or survey.count_flagged) else None,
            "flagged": {"straight_line": flagged if flag_shown else None,
                        "suppressed": not flag_shown,
                        "counted": survey.count_flagged}}


def response_rate(cells, shown_or_none=None, k=MIN_CELL):
    """Households that answered / households on the register, over the communities whose
    number of answering households may be published. The one definition of the response
    rate: results, exports and the community status page all use it."""
    registered_by = _registered(list(cells))
    published = [cid for cid, cell in cells.items() if cell["households"] >= k]
    responding = sum(cells[cid]["households"] for cid in published)
    registered = sum(registered_by.get(cid, 0) for cid in published)
    return {"registered_households": sum(registered_by.values()),
            "responding_households": responding if published else None,
            "rate": round(responding / registered, 4) if published and registered else None,
            "withheld_communities": sum(1 for cid, cell in cells.items()
                                        if 0 < cell["households"] < k)}


def _registered(community_ids):
    return dict(db.session.execute(
        db.select(Household.community_id, db.func.count(Household.id))
        .where(Household.community_id.in_(community_ids))
        .group_by(Household.community_id)).all())


def _communities(survey, cells, k, definition):
    """One row per community: its respondents and 满意率, or withheld."""
    names = dict(db.session.execute(db.select(Community.id, Community.name).where(
        Community.id.in_(list(cells)))).all())
    out = []
    for cid in sorted(cells):
        cell = cells[cid]
        published = cell["respondents"] >= k
        stats = summary(_levels(survey, cells, {cid}, k, None), definition, k,
                        _cluster(cells, {cid}, k, "overall")) if published else None
        out.append({"community_id": cid, "community": names.get(cid, ""),
                    "suppressed": not published,
                    "respondents": cell["respondents"] if published else None,
                    "rate": stats["rate"] if stats else None})
    return out


# --- trend --------------------------------------------------------------------------------

def previous_survey(survey, community_ids):
    if not survey.template_code or survey.status == "draft":
        return None
    return db.session.execute(
        db.select(Survey).where(
            Survey.template_code == survey.template_code, Survey.id != survey.id,
            Survey.status != "draft", Survey.opens_at < survey.opens_at,
            db.exists().where(survey_communities.c.survey_id == Survey.id,
                              survey_communities.c.community_id.in_(community_ids)))
        .order_by(Survey.opens_at.desc(), Survey.id.desc()).limit(1)).scalar_one_or_none()


def _trend(survey, community_ids, areas, k):
    """The previous survey of the same template, over the same scope, from its own release
    and under the same rule: only cells published then count, so the trend says nothing its
    results did not (a draft or a narrower scope cannot be used as a filter)."""
    previous = previous_survey(survey, community_ids)
    if previous is None:
        return None
    shared = [c.id for c in previous.communities if c.id in set(community_ids)]
    before = (compute(previous, shared, detailed=False, k=k, trend=False) if shared
              else {"areas": []})
    prior = {a["code"]: a for a in before["areas"]}
    rows = []
    for area in areas:
        rate, old = area["rate"], prior.get(area["code"], {}).get("rate")
        rows.append({"code": area["code"], "name": area["name"], "rate": rate,
                     "previous_rate": old,
                     "change": round(rate - old, 4) if rate is not None and old is not None
                     else None})
    return {"survey_id": previous.id, "title": previous.title,
            "definition_version": previous.definition_version,
            "comparable": previous.definition_version == survey.definition_version,
            "areas": rows}
