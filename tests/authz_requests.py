"""The request the authorization matrix sends for each operation (tests/api/test_authz_matrix.py).

By default a path parameter is filled by its name with our object (PARAMS) and a POST, PUT or
PATCH carries `{}`; an operation that needs another object, a valid body (so that the callers
with the right get a 2xx, not a 422) or a step first has a builder in BUILDERS. A builder gets
the world and the caller, and returns a Req; what it makes happens before any caller is tried.
`ours` names the object a list must not show to a caller whose table cell is `hidden`.
"""
import io
from dataclasses import dataclass, field
from datetime import timedelta

from server.extensions import db
from tests.authz_world import TODAY
from tests.builders import PASSWORD
from tests.reports_helpers import image_bytes
from tests.surveys_support import answers

WECHAT_OPENID = "o-authz-wechat"
PERIOD = {"since": (TODAY - timedelta(days=90)).isoformat(), "until": TODAY.isoformat()}


@dataclass
class Req:
    params: dict = field(default_factory=dict)
    json: object = None
    query: dict = field(default_factory=dict)
    files: dict | None = None
    ours: object = None


PARAMS = {
    "community_id": lambda w: w.community.id,
    "code": lambda w: w.community.code,
    "membership_id": lambda w: w.membership.id,
    "notification_id": lambda w: w.notification.id,
    "check_id": lambda w: w.content_check.id,
    "event_id": lambda w: w.veto_event["id"],
    "cycle_id": lambda w: w.cycle.id,
    "report_id": lambda w: w.report["id"],
    "photo_id": lambda w: w.photo["id"],
    "order_id": lambda w: w.rectification["id"],
    "survey_id": lambda w: w.survey("published"),
    "year": lambda w: 2027,
    "notice_id": lambda w: w.staff_notice.id,
    "staff_id": lambda w: w.committee_account.id,
    "partner_id": lambda w: w.partner.id,
    "volunteer_id": lambda w: w.volunteer["id"],
    "inspection_id": lambda w: w.inspection["id"],
    "item_id": lambda w: w.inspection["items"][0]["id"],
}

BUILDERS = {}

# Writes that change only the caller's own things (their session, password, binding, inbox,
# upload, number): one caller's success cannot spoil the next one's, so one world serves all.
OWN_STATE = {
    "POST /api/v1/auth/wechat-login", "POST /api/v1/auth/staff-login",
    "POST /api/v1/auth/staff-bind", "POST /api/v1/auth/staff-wechat-login",
    "POST /api/v1/auth/dev-login", "POST /api/v1/auth/staff-unbind",
    "DELETE /api/v1/auth/staff-unbind", "POST /api/v1/auth/logout",
    "POST /api/v1/auth/logout-all", "POST /api/v1/auth/password",
    "POST /api/v1/notifications/read-all", "POST /api/v1/uploads", "POST /api/v1/me/phone",
    "DELETE /api/v1/me/phone",
}


def builds(*operations):
    def register(fn):
        for operation in operations:
            BUILDERS[operation] = fn
        return fn
    return register


def default(world, who, method, path_params):
    unknown = [name for name in path_params if name not in PARAMS]
    assert not unknown, f"no object for the path parameters {unknown}: add them to PARAMS " \
                        "in tests/authz_requests.py (and the object to tests/authz_world.py)"
    params = {name: PARAMS[name](world) for name in path_params}
    return Req(params=params, json={} if method in ("POST", "PUT", "PATCH") else None)


# --- logging in ---------------------------------------------------------------------------

@builds("POST /api/v1/auth/wechat-login", "POST /api/v1/auth/staff-wechat-login")
def _wechat_login(w, who):
    # staff-wechat-login finds the account this WeChat user bound before.
    w.committee_account.wechat_openid = WECHAT_OPENID
    db.session.commit()
    return Req(json={"code": "wx-login-code"})


@builds("POST /api/v1/auth/staff-login")
def _staff_login(w, who):
    return Req(json={"username": w.committee_account.username, "password": PASSWORD})


@builds("POST /api/v1/auth/staff-bind")
def _staff_bind(w, who):
    return Req(json={"code": "wx-login-code", "username": w.committee_account.username,
                     "password": PASSWORD})


@builds("POST /api/v1/auth/dev-login")
def _dev_login(w, who):
    return Req(json={"openid": "our-resident"})


@builds("POST /api/v1/auth/password")
def _password(w, who):
    return Req(json={"current_password": PASSWORD, "new_password": "another-horse-battery"})


# --- residents ----------------------------------------------------------------------------

@builds("GET /api/v1/communities")
def _communities(w, who):
    return Req(ours=w.community.id)


@builds("POST /api/v1/memberships")
def _apply(w, who):
    return Req(json={"community_id": w.community.id, "building": "2号楼", "unit": "1",
                     "room": "202"})


@builds("GET /api/v1/memberships")
def _memberships(w, who):
    return Req(ours=w.membership.id)


@builds("POST /api/v1/memberships/{membership_id}/approve")
def _approve(w, who):
    return Req(params={"membership_id": w.pending_membership.id})


@builds("POST /api/v1/memberships/{membership_id}/reject")
def _reject(w, who):
    return Req(params={"membership_id": w.pending_membership.id},
               json={"reason": "门牌号与登记不符"})


@builds("POST /api/v1/memberships/{membership_id}/revoke")
def _revoke(w, who):
    return Req(params={"membership_id": w.membership.id}, json={"reason": "已搬离本小区"})


@builds("GET /api/v1/notifications")
def _notifications(w, who):
    return Req(ours=w.notification.id)


@builds("POST /api/v1/content-checks/{check_id}/release",
        "POST /api/v1/content-checks/{check_id}/reject")
def _review(w, who):
    return Req(params={"check_id": w.content_check.id}, json={"note": "已核实"})


@builds("GET /api/v1/content-checks")
def _checks(w, who):
    return Req(ours=w.content_check.id)


@builds("POST /api/v1/me/phone")
def _share_phone(w, who):
    return Req(json={"code": "phone-code", "consent": True})


@builds("DELETE /api/v1/me")
def _erase_account(w, who):
    return Req(json={"confirm": "注销"})


@builds("GET /api/v1/me/phone")
def _phone(w, who):
    w.phone_shared()
    return Req()


@builds("GET /api/v1/wechat/callback", "POST /api/v1/wechat/callback")
def _callback(w, who):
    # Signed with the wrong token: a Bearer token must not stand in for WeChat's signature.
    from tests import wechat_http
    return Req(query=wechat_http.signed_query("not-our-token", echostr="echo"),
               json={"ToUserName": "x"})


# --- reports, photos, rectifications -----------------------------------------------------

@builds("GET /api/v1/reports")
def _reports(w, who):
    return Req(ours=w.report["id"])


@builds("GET /api/v1/reports/similar")
def _similar(w, who):
    return Req(query={"category_id": w.categories["clutter"].id, "building": "1号楼"},
               ours=w.report["id"])


@builds("GET /api/v1/reports/board")
def _board(w, who):
    return Req(ours=w.closed_report()["id"])


@builds("GET /api/v1/reports/figures")
def _figures(w, who):
    return Req(query={"community_id": w.community.id, **PERIOD})


@builds("GET /api/v1/reports/overview")
def _overview(w, who):
    return Req(query=PERIOD)


@builds("POST /api/v1/reports")
def _file(w, who):
    return Req(json={"category_id": w.categories["clutter"].id, "description": "楼道堆放杂物",
                     "building": "1号楼", "is_public": True})


@builds("POST /api/v1/reports/{report_id}/actions")
def _act(w, who):
    return Req(params={"report_id": w.report["id"]}, json={"action": "accept"})


@builds("POST /api/v1/reports/{report_id}/rating")
def _rate(w, who):
    return Req(params={"report_id": w.report_at("resolved")["id"]},
               json={"rating": "satisfied"})


@builds("POST /api/v1/reports/{report_id}/support")
def _support(w, who):
    # A neighbour's report: our resident may say "me too", its author may not.
    return Req(params={"report_id": w.neighbour_report["id"]})


@builds("POST /api/v1/uploads")
def _upload(w, who):
    return Req(files={"file": (image_bytes(), "photo.jpg", "image/jpeg")})


@builds("POST /api/v1/uploads/{photo_id}/hide")
def _hide(w, who):
    return Req(params={"photo_id": w.report["photos"][0]["id"]}, json={"reason": "含人脸"})


@builds("GET /api/v1/uploads/{photo_id}/file")
def _photo_file(w, who):
    return Req(params={"photo_id": w.report["photos"][0]["id"]})


@builds("POST /api/v1/rectifications")
def _issue(w, who):
    return Req(json={"community_id": w.community.id, "title": "楼道堆物整改",
                     "requirement": "清理楼道堆物", "area": "S4",
                     "deadline": (TODAY + timedelta(days=14)).isoformat()})


@builds("GET /api/v1/rectifications")
def _orders(w, who):
    return Req(ours=w.rectification["id"])


@builds("POST /api/v1/rectifications/{order_id}/actions")
def _answer(w, who):
    return Req(params={"order_id": w.rectification["id"]},
               json={"action": "answer", "note": "已清理"})


# --- surveys ------------------------------------------------------------------------------

@builds("GET /api/v1/surveys")
def _surveys(w, who):
    return Req(ours=w.survey("published"))


@builds("POST /api/v1/surveys")
def _create_survey(w, who):
    return Req(json=w.survey_body())


@builds("PATCH /api/v1/surveys/{survey_id}")
def _patch_survey(w, who):
    return Req(params={"survey_id": w.survey("draft")}, json={"intro": "请如实填写"})


@builds("POST /api/v1/surveys/{survey_id}/publish")
def _publish(w, who):
    return Req(params={"survey_id": w.survey("draft")})


@builds("POST /api/v1/surveys/{survey_id}/responses")
def _respond(w, who):
    survey_id = w.survey("published")
    if who in w.residents:
        token = w.as_(who).get(f"/api/v1/surveys/{survey_id}").json.get("answer_token")
        body = {"answers": answers(), "answer_token": token} if token else {"answers": answers()}
    else:  # staff enter a household's paper answers (代填)
        body = {"answers": answers(), "household_id": w.membership.household_id}
    return Req(params={"survey_id": survey_id}, json=body)


@builds("GET /api/v1/surveys/{survey_id}/results")
def _results(w, who):
    return Req(params={"survey_id": w.survey("closed")})


@builds("POST /api/v1/surveys/{survey_id}/exports")
def _request_export(w, who):
    return Req(params={"survey_id": w.survey("closed")},
               json={"format": "csv", "content": "results"})


@builds("GET /api/v1/surveys/{survey_id}/exports/{export_id}",
        "GET /api/v1/surveys/{survey_id}/exports/{export_id}/file")
def _export(w, who):
    survey_id, export_id = w.export
    return Req(params={"survey_id": survey_id, "export_id": export_id})


def upload_files(req):
    return {name: (io.BytesIO(data), filename, content_type)
            for name, (data, filename, content_type) in req.files.items()}


# The evaluation's, staff accounts' and inspections' builders register themselves.
from tests import authz_requests_staff  # noqa: E402,F401
