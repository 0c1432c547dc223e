"""The world of the authorization matrix (tests/api/test_authz_matrix.py): "our" community A
(XH-TP-001, committee XH-TP-R01, street XH-TP, district XH) with one object of every kind a
path template names, and nine callers, three of whom sit next door so that our objects are
foreign to them:

- other_resident: an approved resident of B (XH-TP-002), A's sibling under the same committee;
- other_committee: the committee of XH-TP-R02, under our street;
- other_street: the street XH-XJ, a second street of our district (added here).

Objects are made on first use (a cached property each), through the services or the API as the
product makes them; facts that are not the rule under test (a notification, a staff notice)
are written as rows. Callers get their tokens from server.auth.issue_token, the function every
login ends in; staff share one real password hash (hashing is the slow part of a world).
"""
import functools
import io
from datetime import date, timedelta
from functools import cached_property

from flask import current_app
from werkzeug.security import generate_password_hash

from server import auth
from server.extensions import db
from server.models import Membership, Notification, Resident, Staff
from server.models.holiday import StaffNotice
from server.models.base import utcnow
from server.services import access, content_checks
from server.services import org as org_service
from server.services.open311 import keys
from tests import scoring_fixtures as fx
from tests.builders import PASSWORD, ApiClient, make_org
from tests.reports_helpers import image_bytes, load_categories
from tests.surveys_support import QUESTIONS, household

CALLERS = ("anonymous", "resident", "other_resident", "committee", "other_committee", "street",
           "other_street", "district", "city")
# The day every world lives on: inside the 2025-2027 cycle, a working day.
TODAY = date(2026, 11, 25)
STAFF_SCOPES = {"committee": ("committee", "XH-TP-R01"),
                "other_committee": ("committee", "XH-TP-R02"),
                "street": ("street", "XH-TP"), "other_street": ("street", "XH-XJ"),
                "district": ("district", "XH"), "city": ("city", "SH")}


@functools.cache
def password_hash():
    return generate_password_hash(PASSWORD)


def add_staff(role, scope_code, username):
    staff = Staff(username=username, display_name=username, password_hash=password_hash(),
                  role=role, scope_unit=access.unit_by_code(scope_code))
    db.session.add(staff)
    db.session.flush()
    return staff


def add_member(community, openid, building="1", unit="1", room="101", status="approved"):
    """A resident of `community` whose address is in the household register."""
    resident = Resident(openid=openid)
    home = household(community, building, unit, room)
    db.session.add(Membership(resident=resident, community=community, building=building,
                              unit=unit, room=room, status=status,
                              household=home if status == "approved" else None))
    db.session.commit()
    return resident


class World:
    def __init__(self, client):
        self.client = client
        # Content checks are proven in tests/jobs; here they are off (recorded as skipped,
        # hence public at once).
        current_app.config["WECHAT_TEXT_CHECK"] = False
        current_app.config["WECHAT_MEDIA_CHECK"] = False
        self.org = make_org()
        xh = self.org.district
        xj = org_service.ensure_unit("XH-XJ", "徐家汇街道", "street", xh, kind="街道")
        xj_area = org_service.ensure_unit("XH-XJ-R01", "汇站居民区", "residential_area", xj)
        with db.session.no_autoflush:
            self.other_street_community = org_service.ensure_community(
                "XH-XJ-001", "汇站小区", xj_area, "漕溪北路88弄", 60, ["1号楼"])
        self.framework = fx.load(fx.SMALL)
        self.cycle = fx.make_cycle(2025, self.framework, quotas={xh: 1})
        self.categories = load_categories()
        self.residents = {"resident": add_member(self.org.community, "our-resident"),
                          "other_resident": add_member(self.org.sibling, "other-resident")}
        self.staff = {who: add_staff(role, scope, f"{who}-{scope}".lower())
                      for who, (role, scope) in STAFF_SCOPES.items()}
        db.session.commit()
        self._surveys = {}
        self._report_status = "submitted"
        self.clients = {"anonymous": ApiClient(client)}
        for who, resident in self.residents.items():
            self.clients[who] = ApiClient(client, self._token(resident=resident, method="dev"))
        for who, staff in self.staff.items():
            self.clients[who] = ApiClient(client, self._token(staff=staff))

    @staticmethod
    def _token(**who):
        token, _ = auth.issue_token(**who)
        db.session.commit()
        return token

    def as_(self, who):
        return self.clients[who]

    @property
    def community(self):
        return self.org.community

    # --- residents' objects -------------------------------------------------------------

    @cached_property
    def membership(self):
        """Our resident's approved membership of A."""
        return self.residents["resident"].memberships[0]

    @cached_property
    def pending_membership(self):
        """An application to A that waits for the committee."""
        applicant = add_member(self.community, "applicant", room="301", status="pending")
        return applicant.memberships[0]

    @cached_property
    def photo(self):
        """A photo our resident uploaded (attached to `report`)."""
        response = self.as_("resident").post(
            "/api/v1/uploads", data={"file": (io.BytesIO(image_bytes()), "p.jpg", "image/jpeg")},
            content_type="multipart/form-data")
        assert response.status_code == 201, response.json
        return response.json

    @cached_property
    def report(self):
        """A public report our resident filed in A, with a photo."""
        body = {"category_id": self.categories["clutter"].id, "description": "楼道堆放杂物",
                "building": "1号楼", "is_public": True, "photo_ids": [self.photo["id"]]}
        response = self.as_("resident").post("/api/v1/reports", json=body)
        assert response.status_code == 201, response.json
        return response.json

    def report_at(self, status):
        """`report`, moved by the committee along the happy path up to `status`."""
        steps = [("accept", {}), ("contact", {}),
                 ("assign", {"handler_kind": "property", "handler_name": "物业 王师傅"}),
                 ("resolve", {"note": "已清理", "photo_ids": [self.staff_photo()]})]
        order = ["submitted", "accepted", "contacted", "in_progress", "resolved"]
        if self._report_status == "closed":
            return self.report
        done = order.index(self._report_status)
        for action, body in steps[done:order.index(status)]:
            response = self.as_("committee").post(
                f"/api/v1/reports/{self.report['id']}/actions", json={"action": action, **body})
            assert response.status_code == 200, response.json
        self._report_status = status
        return self.report

    def closed_report(self):
        """`report`, resolved and rated satisfied by our resident: on the public board."""
        self.report_at("resolved")
        if self._report_status != "closed":
            response = self.as_("resident").post(f"/api/v1/reports/{self.report['id']}/rating",
                                                 json={"rating": "satisfied"})
            assert response.status_code == 200, response.json
            self._report_status = "closed"
        return self.report

    def staff_photo(self, who="committee"):
        response = self.as_(who).post(
            "/api/v1/uploads", data={"file": (io.BytesIO(image_bytes()), "p.jpg", "image/jpeg")},
            content_type="multipart/form-data")
        assert response.status_code == 201, response.json
        return response.json["id"]

    @cached_property
    def notification(self):
        row = Notification(resident=self.residents["resident"], community=self.community,
                           kind="report_status", title="您反映的问题有新进展", fields={})
        db.session.add(row)
        db.session.commit()
        return row

    @cached_property
    def content_check(self):
        """Our resident's text in A, held as risky for review."""
        check = content_checks.submit_text(self.residents["resident"], "可疑的文字", "report",
                                           "1", community=self.community)
        check.status = "risky"
        db.session.commit()
        return check

    # --- staff's objects ----------------------------------------------------------------

    @cached_property
    def rectification(self):
        response = self.as_("street").post("/api/v1/rectifications", json={
            "community_id": self.community.id, "title": "楼道堆物整改",
            "requirement": "清理楼道堆物", "area": "S4",
            "deadline": (TODAY + timedelta(days=14)).isoformat()})
        assert response.status_code == 201, response.json
        return response.json

    def survey_body(self):
        now = utcnow()
        return {"title": "2026年居民满意度调查", "community_ids": [self.community.id],
                "opens_at": (now - timedelta(hours=1)).isoformat(),
                "closes_at": (now + timedelta(days=14)).isoformat(), "questions": QUESTIONS,
                "min_duration_seconds": 0}

    def survey(self, status="published"):
        """A survey of A by our committee (one per status): a draft, published or closed."""
        if status in self._surveys:
            return self._surveys[status]
        committee = self.as_("committee")
        response = committee.post("/api/v1/surveys", json=self.survey_body())
        assert response.status_code == 201, response.json
        survey_id = response.json["id"]
        for step in {"draft": [], "published": ["publish"],
                     "closed": ["publish", "close"]}[status]:
            moved = committee.post(f"/api/v1/surveys/{survey_id}/{step}")
            assert moved.status_code == 200, moved.json
        self._surveys[status] = survey_id
        return survey_id

    @cached_property
    def export(self):
        """A finished CSV export of a closed survey's results, requested by our committee:
        (survey id, export id)."""
        from tests.jobs.worker import work
        survey_id = self.survey("closed")
        response = self.as_("committee").post(f"/api/v1/surveys/{survey_id}/exports",
                                              json={"format": "csv", "content": "results"})
        assert response.status_code == 202, response.json
        work()
        return survey_id, response.json["id"]

    @cached_property
    def veto_event(self):
        response = self.as_("street").post(
            f"/api/v1/communities/{self.community.id}/veto-events",
            json=self.veto_body())
        assert response.status_code == 201, response.json
        return response.json

    @cached_property
    def staff_notice(self):
        """A system message to our street."""
        row = StaffNotice(staff_id=self.staff["street"].id, kind="holidays_missing",
                          title="明年节假日尚未载入", dedupe_key="authz-notice")
        db.session.add(row)
        db.session.commit()
        return row

    @cached_property
    def committee_account(self):
        """A second account of our committee: the staff account managers act on."""
        staff = add_staff("committee", "XH-TP-R01", "committee-peer")
        db.session.commit()
        return staff

    @cached_property
    def partner(self):
        partner, _ = keys.issue("12345热线", "cli")
        db.session.commit()
        return partner

    @cached_property
    def volunteer(self):
        """A pending volunteer of A (a neighbour of our resident)."""
        add_member(self.community, "volunteer-applicant", room="401")
        applicant = ApiClient(self.client, self._token(
            resident=db.session.execute(db.select(Resident).filter_by(
                openid="volunteer-applicant")).scalar_one(), method="dev"))
        response = applicant.post("/api/v1/volunteers")
        assert response.status_code == 201, response.json
        return response.json

    @cached_property
    def inspection(self):
        """A checklist the street drew for our resident, an approved volunteer."""
        response = self.as_("street").post("/api/v1/inspections", json=self.draw_body())
        assert response.status_code == 201, response.json
        return response.json

    # --- steps some operations need first ------------------------------------------------

    @cached_property
    def participation(self):
        """A creating in the current cycle since 2021 (a street record)."""
        part = fx.participate(self.cycle, self.community, stage="creating")
        part.creation_source, part.creation_record = "street_record", "台账 2021-01"
        db.session.commit()
        return part

    def self_assessed(self, reviewed=False):
        """The committee's self-assessment of every entered indicator (and the street's
        agreement), so that the next stage can be taken."""
        self.participation  # noqa: B018 (made on first use)
        base = f"/api/v1/communities/{self.community.id}/entries"
        for code in ("S5.1", "S7.1"):
            response = self.as_("committee").put(f"{base}/{code}", json={"value": "A"})
            assert response.status_code == 200, response.json
            if reviewed:
                response = self.as_("street").post(f"{base}/{code}/review",
                                                   json={"decision": "agree"})
                assert response.status_code == 200, response.json

    def preliminary_candidate(self):
        """A on the city's preliminary list (a fact written as a row)."""
        part = self.participation
        part.stage, part.stage_since, part.applied_on = "preliminary", TODAY, TODAY
        db.session.commit()

    @staticmethod
    def veto_body():
        return {"kind": "major_crime", "occurred_on": (TODAY - timedelta(days=30)).isoformat(),
                "note": "登记"}

    def phone_shared(self):
        """Our resident shared a phone number (WeChat's answer is intercepted by the test)."""
        response = self.as_("resident").post("/api/v1/me/phone",
                                             json={"code": "phone-code", "consent": True})
        assert response.status_code == 200, response.json

    @cached_property
    def neighbour_report(self):
        """An open public report in A by a neighbour of our resident."""
        neighbour = add_member(self.community, "neighbour", room="102")
        client = ApiClient(self.client, self._token(resident=neighbour, method="dev"))
        body = {"category_id": self.categories["clutter"].id, "description": "路灯不亮",
                "building": "1号楼", "is_public": True}
        response = client.post("/api/v1/reports", json=body)
        assert response.status_code == 201, response.json
        return response.json

    @cached_property
    def approved_volunteer(self):
        """Our resident, approved as a volunteer supervisor of A."""
        applied = self.as_("resident").post("/api/v1/volunteers")
        assert applied.status_code == 201, applied.json
        approved = self.as_("committee").post(f"/api/v1/volunteers/{applied.json['id']}/approve")
        assert approved.status_code == 200, approved.json
        return applied.json["id"]

    def draw_body(self):
        return {"community_id": self.community.id, "volunteer_id": self.approved_volunteer,
                "seed": 7, "groups": [{"kind": "road", "indicator_code": "S5.1",
                                       "population": ["建国西路", "永嘉路"], "size": 1}]}

    def graded_inspection(self):
        inspection = self.inspection
        path = f"/api/v1/inspections/{inspection['id']}/items/{inspection['items'][0]['id']}"
        response = self.as_("resident").put(path, json={"grade": "A", "photo_id": self.photo["id"]})
        assert response.status_code == 200, response.json
        return inspection
