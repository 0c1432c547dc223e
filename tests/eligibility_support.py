"""A small world for the eligibility table (tests/api/test_eligibility_table.py): an
entered-only framework whose weights are 33.33/33.33/33.34, staff at every level, and the
steps a community takes, each through the API. Facts that are not the rule under test (a
title named long ago, a community already at a later stage) are written as rows."""
from datetime import date
from decimal import Decimal

from server.extensions import db
from server.models import CommunityTitle, Participation, ScoreSnapshot
from tests import scoring_fixtures as fx
from tests.builders import make_staff

GRADES = {"type": "grades", "grades": {"A": 1.0, "N": 0.95, "B": 0.9499, "C": 0.6, "D": 0.5}}
EXACT = {"version": "TEST-EXACT", "name": "精确合计", "areas": {"S4": [
    {"code": code, "name": code, "weight": weight, "method": "field_inspection", "rule": GRADES}
    for code, weight in (("E1", 33.33), ("E2", 33.33), ("E3", 33.34))]}}
CODES = ("E1", "E2", "E3")


class World:
    def __init__(self, api, org, calendar):
        self.api, self.org, self._calendar = api, org, calendar
        self._clients = {}
        self.fw = fx.load(EXACT)
        self.cycles = {}
        self.staff = {"committee": make_staff("committee", "XH-TP-R01"),
                      "committee2": make_staff("committee", "XH-TP-R02", username="c-r02"),
                      "street": make_staff("street", "XH-TP"),
                      "district": make_staff("district", "XH"),
                      "city": make_staff("city", "SH")}
        from server.models import Community
        self.third = db.session.execute(db.select(Community).filter_by(
            code="XH-TP-003")).scalar_one()

    def calendar(self, day):
        self._calendar(day)
        self._clients.clear()  # a token from another day may have expired: log in again

    def as_(self, who):
        if who not in self._clients:
            self._clients[who] = self.api.as_staff(self.staff[who])
        return self._clients[who]

    def cycle(self, start_year, quota=None, city_quota=None):
        if start_year not in self.cycles:
            cycle = fx.make_cycle(start_year, self.fw,
                                  quotas={self.org.district: quota} if quota else None)
            cycle.city_quota = city_quota
            db.session.commit()
            self.cycles[start_year] = cycle
        return self.cycles[start_year]

    def creating(self, community, start_year, started=date(2021, 1, 1)):
        part = fx.participate(self.cycles[start_year], community, stage="creating",
                              started=started)
        part.creation_source, part.creation_record = "street_record", "台账 2021-01"
        db.session.commit()
        return part

    def ready(self, day, community=None, grade="A", street_grade=None, started=date(2021, 1, 1),
              cycle_start=None, quota=1):
        """The calendar on `day`, a cycle whose year 1 contains it, the community creating
        since `started`, self-assessed by the street (committee: `grade`; street: agrees, or
        changes to `street_grade`)."""
        community = community or self.org.community
        self.calendar(day)
        start = cycle_start or day.year
        self.cycle(start, quota=quota)
        self.creating(community, start, started)
        self.self_assess(community, grade, street_grade)
        return community

    def self_assess(self, community, grade="A", street_grade=None):
        committee = "committee" if community.residential_area_id == self.org.area.id else (
            "committee2")
        base = f"/api/v1/communities/{community.id}/entries"
        for code in CODES:
            assert self.as_(committee).put(f"{base}/{code}", json={"value": grade}
                                           ).status_code == 200
            review = ({"decision": "agree"} if street_grade is None else
                      {"decision": "change", "value": street_grade, "reason": "实地复核"})
            assert self.as_("street").post(f"{base}/{code}/review", json=review
                                           ).status_code == 200
        response = self.move(community, "self_assess", "street")
        assert response.status_code == 200, response.json

    def move(self, community, action, who, **body):
        return self.as_(who).post(f"/api/v1/communities/{community.id}/stage",
                                  json=dict(body, action=action))

    def apply(self, community=None):
        return self.move(community or self.org.community, "apply", "street")

    def eligibility(self, community=None, stage=None, on=None, who="street"):
        query = "&".join(f"{k}={v}" for k, v in (("stage", stage), ("on", on)) if v)
        response = self.as_(who).get(
            f"/api/v1/communities/{(community or self.org.community).id}/eligibility?{query}")
        assert response.status_code == 200, response.json
        return response.json

    def veto(self, community, kind, day, who="street", note="登记"):
        response = self.as_(who).post(f"/api/v1/communities/{community.id}/veto-events",
                                      json={"kind": kind, "occurred_on": day.isoformat(),
                                            "note": note})
        assert response.status_code == 201, response.json
        return response.json

    def status(self, community=None, who="street"):
        return self.as_(who).get(
            f"/api/v1/communities/{(community or self.org.community).id}/status").json

    # --- facts written as rows ---------------------------------------------------------

    def at_stage(self, community, start_year, stage, applied_on, score=Decimal("96"),
                 city_score=None):
        """A community already at `stage` of a new application, with a score snapshot."""
        cycle = self.cycles[start_year]
        part = db.session.execute(db.select(Participation).filter_by(
            cycle_id=cycle.id, community_id=community.id)).scalar_one_or_none()
        if part is None:
            part = self.creating(community, start_year)
        part.stage, part.stage_since, part.applied_on = stage, applied_on, applied_on
        part.applied_score, part.city_score = score, city_score
        exact = {"points": str(score), "self_points": str(score), "street_points": str(score)}
        db.session.add(ScoreSnapshot(
            community_id=community.id, cycle_id=cycle.id, framework_id=self.fw.id, reason="t",
            total=score, self_total=score, unknown_points=0, digest=f"t-{community.id}",
            satisfaction_part=None, supervision_part=None, areas={},
            items=[{"code": "E1", "method": "field_inspection", "weight": 100.0,
                    "points": float(score), "exact": exact}]))
        db.session.commit()
        return part

    def titled(self, community, since, named_in=None):
        cycle = self.cycles.get(named_in)
        db.session.add(CommunityTitle(community_id=community.id, since=since,
                                      named_in_cycle_id=cycle.id if cycle else None))
        db.session.commit()


def codes(body):
    """The reason codes of an answer or a refused move."""
    reasons = body["reasons"] if "reasons" in body else body["details"]["reasons"]
    return sorted({r["code"] for r in reasons})


def reason(body, code):
    reasons = body["reasons"] if "reasons" in body else body["details"]["reasons"]
    return next(r for r in reasons if r["code"] == code)
