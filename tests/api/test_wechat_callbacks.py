"""WeChat's pushes to /api/v1/wechat/callback: signed by our token or refused."""
import json

from server.models import ContentCheck
from server.services import content_checks
from tests import wechat_http
from tests.builders import make_member, make_staff
from tests.conftest import CALLBACK_TOKEN

URL = "/api/v1/wechat/callback"


def pending_image(db, org, trace_id="trace-1"):
    author = make_member(org.community, openid="author-1")
    check = content_checks.submit_image(author, "https://example.org/p/1.jpg", "report", "3",
                                        community=org.community)
    check.trace_id = trace_id
    db.session.commit()
    return check


def push(client, body, query=None, content_type="application/json"):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, query_string=query or wechat_http.signed_query(CALLBACK_TOKEN),
                       data=data, content_type=content_type)


def test_passing_result_makes_pending_content_public(client, db, org):
    check = pending_image(db, org)
    response = push(client, wechat_http.media_check_event("trace-1", "pass"))
    assert response.status_code == 200 and response.get_data(as_text=True) == "success"
    db.session.refresh(check)
    assert check.status == "passed" and content_checks.visible_to(None, check)


def test_risky_result_in_xml_holds_content_for_staff(client, db, org):
    check = pending_image(db, org)
    xml = ("<xml><ToUserName><![CDATA[gh_test]]></ToUserName><MsgType><![CDATA[event]]>"
           "</MsgType><Event><![CDATA[wxa_media_check]]></Event><trace_id><![CDATA[trace-1]]>"
           "</trace_id><version>2</version><errcode>0</errcode><errmsg><![CDATA[ok]]></errmsg>"
           "<result><suggest><![CDATA[risky]]></suggest><label>20002</label></result></xml>")
    response = push(client, xml, content_type="text/xml")
    assert response.status_code == 200
    db.session.refresh(check)
    assert check.status == "risky" and check.label == 20002
    assert not content_checks.visible_to(None, check)


def test_bad_signature_is_403_and_changes_nothing(client, db, org):
    check = pending_image(db, org)
    forged = wechat_http.signed_query("not-our-token")
    response = push(client, wechat_http.media_check_event("trace-1", "pass"), query=forged)
    assert response.status_code == 403 and response.json["error"] == "bad_signature"
    db.session.refresh(check)
    assert check.status == "pending"


def test_push_without_signature_parameters_is_422(client, db, org):
    check = pending_image(db, org)
    response = push(client, wechat_http.media_check_event("trace-1", "pass"),
                    query={"timestamp": "1"})
    assert response.status_code == 422
    assert "signature" in response.json["details"]["fields"]
    db.session.refresh(check)
    assert check.status == "pending"


def test_unparseable_push_is_400(client, db, org):
    response = push(client, "not json at all", content_type="text/plain")
    assert response.status_code == 400 and response.json["error"] == "bad_push"


def test_the_same_result_pushed_twice_changes_nothing(client, db, org):
    check = pending_image(db, org)
    push(client, wechat_http.media_check_event("trace-1", "pass"))
    db.session.refresh(check)
    settled_at = check.checked_at
    push(client, wechat_http.media_check_event("trace-1", "risky"))
    db.session.refresh(check)
    assert check.status == "passed" and check.checked_at == settled_at


def test_result_for_an_unknown_trace_id_is_acknowledged_and_ignored(client, db, org):
    check = pending_image(db, org)
    response = push(client, wechat_http.media_check_event("someone-else", "risky"))
    assert response.status_code == 200
    db.session.refresh(check)
    assert check.status == "pending"
    assert db.session.execute(db.select(db.func.count(ContentCheck.id))).scalar_one() == 1


def test_failed_check_result_leaves_content_pending(client, db, org):
    check = pending_image(db, org)
    push(client, wechat_http.media_check_event("trace-1", errcode=-1008))
    db.session.refresh(check)
    assert check.status == "pending" and "-1008" in check.last_error


def test_url_verification_echoes_echostr_when_signed(client):
    query = wechat_http.signed_query(CALLBACK_TOKEN, echostr="echo-123")
    response = client.get(URL, query_string=query)
    assert response.status_code == 200 and response.get_data(as_text=True) == "echo-123"


def test_url_verification_with_a_bad_signature_is_403(client):
    query = wechat_http.signed_query("wrong", echostr="echo-123")
    response = client.get(URL, query_string=query)
    assert response.status_code == 403 and "echo-123" not in response.get_data(as_text=True)


def test_staff_see_whether_wechat_is_configured(api, org):
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    body = committee.get("/api/v1/wechat/status").json
    assert body["configured"] is True and body["text_check"] is True
    assert body["templates"]["membership_decided"] is True
    assert body["deliveries"] == {} and body["unsent_outbox"] == 0


def test_residents_may_not_see_the_wechat_status(api, org):
    response = api.as_resident("r1").get("/api/v1/wechat/status")
    assert response.status_code == 403
