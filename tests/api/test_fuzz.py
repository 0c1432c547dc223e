"""Schemathesis over the app's own OpenAPI document: no 5xx, every answer matches its schema.

Run as a resident and as committee staff, with bounded examples per operation so the suite
stays quick; the checks are schemathesis' defaults (server errors, status codes, content types,
headers and response schemas) but one, explained at EXCLUDED_CHECKS.
"""
import pytest
import responses
import schemathesis
from hypothesis import HealthCheck, settings

from tests import wechat_http
from tests.builders import make_member, make_staff

MAX_EXAMPLES = 25
# negative_data_rejection expects a request without the Authorization header to fail, but the
# token is added to every case here, so it would flag our own header; and query strings
# tolerate unknown parameters on purpose (cache busters). Negative cases still run, and still
# must not answer 5xx or break their schema.
EXCLUDED_CHECKS = [schemathesis.checks.negative_data_rejection]


@pytest.fixture
def fuzz_schema(app, org):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("fuzz_schema")


@pytest.fixture
def tokens(api, org):
    make_member(org.community, openid="fuzz-member")
    resident = api.as_resident("fuzz-member")
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    return {"resident": resident.token, "staff": committee.token}


def _extra_exclusions(case):
    # Random bytes are a schema-valid upload but not an image, so 415/413/422 is the right
    # answer there (tests/api/test_uploads.py proves each); 5xx and shapes are still checked.
    if case.path == "/api/v1/uploads":
        return [schemathesis.checks.positive_data_acceptance]
    return []


def _run(case, token):
    # Logout would revoke the token the rest of the run relies on.
    if case.path == "/api/v1/auth/logout":
        return
    # WeChat answers login codes as it would: wechatpy runs for real against recorded answers.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, openid="fuzz-wechat-openid")
        wechat_http.add_phone_number(rsps)
        wechat_http.add_subscribe_send(rsps)
        wechat_http.add_msg_sec_check(rsps)
        wechat_http.add_media_check_async(rsps)
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                               excluded_checks=EXCLUDED_CHECKS + _extra_exclusions(case))


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_as_resident(case, tokens):
    _run(case, tokens["resident"])


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_as_staff(case, tokens):
    _run(case, tokens["staff"])
