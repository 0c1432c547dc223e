"""Scores: recomputed as snapshots, and shown with their trace.

A recompute reads everything it needs for all the communities asked for in a handful of
set-based queries (communities, survey satisfaction, report figures, entries, the latest
snapshot digests), computes each community's items in memory, and writes the snapshots whose
inputs changed in one bulk insert. So 6,000 communities are one job and a few statements, not
6,000 x (indicators) queries.

Exact arithmetic: each indicator's points are weight x factor as an exact Decimal, kept as
text in the item's `exact` map; totals are exact sums of those, and the eligibility gate
compares the exact sum with 95. Rounding (half-up, 0.01) happens once, for display: the
item's `points` and the snapshot's total columns. So 33.33 + 33.33 + 33.34 at 95% is 95, not
31.66 + 31.66 + 31.67 = 94.99.

Three totals per snapshot: `total` (the highest review of every entered value: the score the
district and city see), `self_total` (the self-assessment of 第十一条（一）: the street's
assessment of the committee's prepared values; an entered indicator the street has not
assessed counts nothing) and the committee's own claim per indicator (`self_points`).
"""
import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from server.extensions import db
from server.errors import NotFound
from server.models import Community, Cycle, Framework, IndicatorEntry, ScoreSnapshot
from server.models.base import utcnow
from server.models.scoring import AREAS
from server.services.scoring import cache, clock, framework as frameworks, inputs

TARGET = Decimal("95")
CLOSERS = 5
CENT = Decimal("0.01")


def display(value):
    """The one rounding: half-up to 0.01, as a float for JSON."""
    return None if value is None else float(Decimal(value).quantize(CENT, ROUND_HALF_UP))


def exact(item, key="points"):
    """An item's exact points (Decimal), or None when unknown. Snapshots written before exact
    points were kept carry only the display value (and no street points)."""
    value = item["exact"].get(key) if "exact" in item else item.get(key)
    return Decimal(str(value)) if value is not None else None


def exact_total(snapshot, key="points"):
    """The exact sum of a snapshot's known points; `key` "street_points" is the street's
    self-assessment (第十一条（一）). Returns (total, codes of entered indicators without it)."""
    total, missing = Decimal(0), []
    for item in snapshot.items:
        value = exact(item, key)
        if value is None:
            if item["method"] not in ("questionnaire", "supervision"):
                missing.append(item["code"])
            continue
        total += value
    return total, missing


def recompute(community_ids=None, reason="nightly", cycle=None, on=None):
    """Recompute the scores of `community_ids` (all when None) in `cycle` (the current one).
    Returns how many snapshots were written: communities whose inputs did not change since
    their latest snapshot get none, so running it twice writes nothing the second time."""
    cycle = cycle or clock.current_cycle(on)
    if cycle is None:
        return 0
    fw = frameworks.for_cycle(cycle)
    if fw is None:
        return 0
    ids = None if community_ids is None else sorted({int(i) for i in community_ids})
    since, until = clock.cycle_window(cycle, on)
    communities = _communities(ids)
    satisfaction = inputs.satisfaction(ids, since, until)
    supervision = inputs.supervision(ids, since, until)
    entries = _entries(ids, cycle.id)
    previous = _latest_digests(ids, cycle.id)
    plan = [_Indicator(ind) for ind in fw.indicators]
    now = utcnow()
    rows = []
    for community_id, households in communities:
        items = [ind.item(community_id, households, satisfaction, supervision, entries)
                 for ind in plan]
        digest = _digest(fw.id, items)
        if previous.get(community_id) == digest:
            continue
        rows.append(_snapshot_row(community_id, cycle.id, fw.id, now, reason, digest, items))
    if rows:
        db.session.execute(sa.insert(ScoreSnapshot), rows)
        # A version used for a score is frozen from now on (Core: no ORM guard to trip).
        db.session.execute(sa.update(Framework.__table__).where(
            Framework.__table__.c.id == fw.id, Framework.__table__.c.locked_at.is_(None)
        ).values(locked_at=now))
    db.session.commit()
    if rows:
        cache.invalidate([row["community_id"] for row in rows])
    return len(rows)


def _communities(ids):
    query = db.select(Community.id, Community.households).order_by(Community.id)
    if ids is not None:
        query = query.where(Community.id.in_(ids))
    return db.session.execute(query).all()


def _entries(ids, cycle_id):
    query = db.select(IndicatorEntry).where(IndicatorEntry.cycle_id == cycle_id)
    if ids is not None:
        query = query.where(IndicatorEntry.community_id.in_(ids))
    return {(e.community_id, e.indicator_id): e for e in db.session.execute(query).scalars()}


def _latest_digests(ids, cycle_id):
    latest = db.select(sa.func.max(ScoreSnapshot.id).label("id")).where(
        ScoreSnapshot.cycle_id == cycle_id).group_by(ScoreSnapshot.community_id)
    if ids is not None:
        latest = latest.where(ScoreSnapshot.community_id.in_(ids))
    latest = latest.subquery()
    rows = db.session.execute(db.select(ScoreSnapshot.community_id, ScoreSnapshot.digest).join(
        latest, ScoreSnapshot.id == latest.c.id))
    return dict(rows.all())


def _digest(framework_id, items):
    text = json.dumps({"framework": framework_id, "items": items}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class _Indicator:
    """One indicator of the framework, prepared once per recompute."""

    def __init__(self, indicator):
        self.id, self.code, self.area = indicator.id, indicator.code, indicator.area
        self.name, self.method, self.basis = indicator.name, indicator.method, indicator.basis
        self.weight, self.rule = Decimal(str(indicator.weight)), indicator.rule
        self.min_sample = indicator.min_sample

    def item(self, community_id, households, satisfaction, supervision, entries):
        item = {"code": self.code, "area": self.area, "name": self.name, "method": self.method,
                "weight": float(self.weight), "status": "ok", "value": None, "grade": None,
                "points": None, "self_value": None, "self_points": None,
                "street_value": None, "street_points": None,
                "reviewed_value": None, "value_from": None, "exact": {}}
        if self.method == "questionnaire":
            self._questionnaire(item, satisfaction, community_id, households)
        elif self.method == "supervision":
            self._supervision(item, supervision.get(community_id), households)
        else:
            self._entered(item, entries.get((community_id, self.id)))
        return item

    def _measured(self, item, value, answers, need, source):
        item["source"] = dict(source, answers=answers, min_sample=need)
        if answers < need or value is None:
            item["status"] = "insufficient_data"
            return
        value = Decimal(str(value))
        factor = frameworks.factor_for_value(self.rule, value)
        points = frameworks.points(self.weight, factor)
        item.update(value=display(value), grade=frameworks.grade_for_value(self.rule, value),
                    value_from="computed")
        self._points(item, points, points, points)

    def _questionnaire(self, item, satisfaction, community_id, households):
        key = self.code if self.basis == "indicator" else f"area:{self.area}"
        sample = satisfaction.get((community_id, key))
        need = self.min_sample or frameworks.default_min_sample(households)
        self._measured(item, sample.score if sample else None, sample.answers if sample else 0,
                       need, {"kind": "survey", "basis": self.basis, "key": key,
                              "survey_ids": sorted(sample.survey_ids) if sample else []})

    def _supervision(self, item, figures, households):
        need = self.min_sample or frameworks.default_min_sample(households)
        value, count = (figures.metric(self.basis) if figures else (None, 0))
        self._measured(item, value, count, need, {
            "kind": "reports", "basis": self.basis,
            "figures": figures.as_dict() if figures else {}})

    def _entered(self, item, entry):
        item["source"] = {"kind": "entry", "entry_id": entry.id if entry else None}
        if entry is None:
            item["status"] = "not_entered"
            return
        item["self_value"] = entry.self_value
        item["street_value"] = entry.street_value
        reviewed = entry.reviewed_value
        item["reviewed_value"] = reviewed
        used = reviewed or entry.self_value
        item["value_from"] = ("district_review" if entry.district_value else
                              "street_review" if entry.street_value else "self_assessment")
        self._points(item, self._entered_points(used), self._entered_points(entry.self_value),
                     self._entered_points(entry.street_value))
        if self.rule["type"] == "grades":
            item["grade"] = used
        else:
            item["value"] = float(used)

    def _entered_points(self, stored):
        if stored is None:
            return None
        return frameworks.points(self.weight, frameworks.entered_factor(self.rule, stored))

    @staticmethod
    def _points(item, points, self_points, street_points):
        for key, value in (("points", points), ("self_points", self_points),
                           ("street_points", street_points)):
            item[key] = display(value)
            item["exact"][key] = str(value) if value is not None else None


def _snapshot_row(community_id, cycle_id, framework_id, now, reason, digest, items):
    total = self_total = unknown = Decimal(0)
    parts = {"questionnaire": None, "supervision": None}
    areas = {area: {"weight": Decimal(0), "points": Decimal(0), "unknown": Decimal(0)}
             for area in AREAS}
    for item in items:
        weight, area = Decimal(str(item["weight"])), areas[item["area"]]
        area["weight"] += weight
        self_total += exact(item, "street_points") or Decimal(0)
        got = exact(item)
        if got is None:
            unknown += weight
            area["unknown"] += weight
            continue
        total += got
        area["points"] += got
        if item["method"] in parts:
            parts[item["method"]] = (parts[item["method"]] or Decimal(0)) + got
    return {"community_id": community_id, "cycle_id": cycle_id, "framework_id": framework_id,
            "computed_at": now, "reason": reason, "total": _cents(total),
            "self_total": _cents(self_total), "unknown_points": _cents(unknown),
            "satisfaction_part": _cents(parts["questionnaire"]),
            "supervision_part": _cents(parts["supervision"]), "digest": digest, "items": items,
            "areas": {code: {k: display(v) for k, v in a.items()} for code, a in areas.items()
                      if a["weight"]}}


def _cents(value):
    return None if value is None else value.quantize(CENT, ROUND_HALF_UP)


# --- reading scores ----------------------------------------------------------------------

def scores(community, cycle_id=None, at=None):
    """The score page: the snapshot in force at `at` (default now) in a cycle (default the
    current one) with its framework and gap, and the history of recomputes."""
    cycle = db.session.get(Cycle, cycle_id) if cycle_id else clock.current_cycle()
    if cycle_id and cycle is None:
        raise NotFound("未找到该创建周期", slug="cycle_not_found")
    if cycle is None:
        return {"community_id": community.id, "cycle_id": None, "current": None, "history": []}
    snapshot = latest_snapshot(community.id, cycle.id, at)
    current = None
    if snapshot is not None:
        current = {c.key: getattr(snapshot, c.key) for c in snapshot.__table__.columns}
        current["framework"] = db.session.get(Framework, snapshot.framework_id)
        current["gap"] = gap(snapshot)
    return {"community_id": community.id, "cycle_id": cycle.id, "current": current,
            "history": history(community.id, cycle.id)}


def latest_snapshot(community_id, cycle_id, at=None):
    """The snapshot in force at `at` (a datetime; default now)."""
    query = db.select(ScoreSnapshot).where(ScoreSnapshot.community_id == community_id,
                                           ScoreSnapshot.cycle_id == cycle_id)
    if at is not None:
        query = query.where(ScoreSnapshot.computed_at <= at)
    return db.session.execute(
        query.order_by(ScoreSnapshot.id.desc()).limit(1)).scalar_one_or_none()


def history(community_id, cycle_id, limit=100):
    return db.session.execute(db.select(ScoreSnapshot).where(
        ScoreSnapshot.community_id == community_id, ScoreSnapshot.cycle_id == cycle_id)
        .order_by(ScoreSnapshot.id.desc()).limit(limit)).scalars().all()


def gap(snapshot):
    """How far the known total is from 95, and the indicators that would close it most:
    those with the most points still missing (unknown ones count their whole weight)."""
    total, _ = exact_total(snapshot)
    missing = []
    for item in snapshot.items:
        room = Decimal(str(item["weight"])) - (exact(item) or Decimal(0))
        if room > 0:
            missing.append({"code": item["code"], "name": item["name"], "area": item["area"],
                            "status": item["status"], "points_available": room})
    missing.sort(key=lambda m: (-m["points_available"], m["code"]))
    for closer in missing:
        closer["points_available"] = display(closer["points_available"])
    return {"target": float(TARGET), "gap": display(max(TARGET - total, Decimal(0))),
            "closers": missing[:CLOSERS]}

