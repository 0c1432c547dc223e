"""Schemathesis over the app's own OpenAPI document: no 5xx, every answer matches its schema,
schema-valid data is accepted and invalid data refused.

Every check of schemathesis' default set runs, negative_data_rejection included. The Bearer
token comes from an auth provider registered on the schema (not added per case), so a negative
case that drops the Authorization header really goes without it and must get 401. Two runs:
each operation on its own (bounded examples), and a stateful run that follows the document's
links (server/api/links.py): create a report then read, act on and support it, create a survey
then publish and answer it, and so on. Both as a resident and as committee staff.

Unknown query parameters are not refused (server/schemas/common.py: cache busters); OpenAPI 3.0
cannot say "any other query parameter" and schemathesis' negative_data_rejection already
accepts a 2xx to a case whose only fault is an extra non-body parameter.
"""
import pytest
import responses
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky

from tests import wechat_http
from tests.builders import make_staff
from tests.reports_helpers import load_categories
from tests.surveys_support import create_survey, member

MAX_EXAMPLES = 20
STATEFUL_SCENARIOS = 120
STATEFUL_STEPS = 10

# Operations that end the caller's own session or account. Run, they would revoke the token the
# rest of the run relies on, and every later answer would be a quiet 401 that proves nothing:
# logging out, logging out everywhere, and deleting one's own account (DELETE /api/v1/me).
# Their own tests cover them (tests/api/test_sessions.py and the account deletion tests).
# Each run checks at its end that its token still works, so a new operation of this kind that
# is not listed here shows up as an error instead of a quietly toothless run.
SELF_ENDING = {"path_regex": r"^/api/v1/(auth/logout(-all)?|me(/account|/delete)?)$",
               "method": ["POST", "DELETE"]}


def _bearer(schema, token):
    """The schema with `token` supplied through schemathesis' auth hook."""

    # No caching: each test has its own database and token.
    @schema.auth(refresh_interval=None)
    class Bearer:
        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


def _load(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app).exclude(**SELF_ENDING)


@pytest.fixture
def world(app, api, org):
    """What the flows start from: report categories, a registered resident, the committee, an
    open survey, a report to handle and an application to decide."""
    load_categories()
    resident = member(api, org.community, "fuzz-member")
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    create_survey(committee, [org.community.id])
    category = resident.get("/api/v1/reports/categories").json["items"][0]["id"]
    filed = resident.post("/api/v1/reports", json={
        "category_id": category, "description": "楼道堆放杂物", "building": "3号楼"})
    assert filed.status_code == 201, filed.json
    applied = api.as_resident("fuzz-applicant").post("/api/v1/memberships", json={
        "community_id": org.community.id, "building": "3", "room": "302"})
    assert applied.status_code == 201, applied.json
    return {"resident": resident.token, "staff": committee.token}


def _signed_in_throughout(app, token):
    yield _bearer(_load(app), token)
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200, "the run ended its own session: see SELF_ENDING"


@pytest.fixture
def resident_schema(app, world):
    yield from _signed_in_throughout(app, world["resident"])


@pytest.fixture
def staff_schema(app, world):
    yield from _signed_in_throughout(app, world["staff"])


# The fixture's own filters are not carried over by from_fixture, hence the exclusion again.
resident = schemathesis.pytest.from_fixture("resident_schema").exclude(**SELF_ENDING)
staff = schemathesis.pytest.from_fixture("staff_schema").exclude(**SELF_ENDING)


def _extra_exclusions(case):
    # Random bytes are a schema-valid upload but not an image, so 415/413/422 is the right
    # answer there (tests/api/test_uploads.py proves each); 5xx and shapes are still checked.
    if case.path == "/api/v1/uploads":
        return [schemathesis.checks.positive_data_acceptance]
    return []


def _wechat():
    """WeChat answers as it would: wechatpy runs for real against recorded answers."""
    rsps = responses.RequestsMock(assert_all_requests_are_fired=False)
    wechat_http.add_token(rsps)
    wechat_http.add_code2session(rsps, openid="fuzz-wechat-openid")
    wechat_http.add_phone_number(rsps)
    wechat_http.add_subscribe_send(rsps)
    wechat_http.add_msg_sec_check(rsps)
    wechat_http.add_media_check_async(rsps)
    return rsps


def _run(case):
    with _wechat():
        case.call_and_validate(excluded_checks=_extra_exclusions(case))


@resident.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_as_resident(case):
    _run(case)


@staff.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_as_staff(case):
    _run(case)


def _follow_links(schema):
    """Run the state machine; return the names of the document links it followed to a 2xx."""
    followed, failures = set(), []

    class Links(schema.as_state_machine()):
        def step(self, input):
            try:
                output = super().step(input)
            except Exception as exc:
                failures.append(exc)
                raise
            transition = input.transition
            if (transition is not None and not transition.is_inferred and input.is_applied
                    and 200 <= output.response.status_code < 300):
                # "<source> -> [<status>] <link name> -> <target>"
                followed.add(transition.id.split(" -> ")[1].split("] ")[1])
            return output

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, additional_checks=additional_checks,
                                   excluded_checks=_extra_exclusions(case), transport_kwargs=kwargs)

    with _wechat():
        try:
            Links.run(settings=settings(
                max_examples=STATEFUL_SCENARIOS, stateful_step_count=STATEFUL_STEPS,
                deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
        except Flaky:
            # Schemathesis steers the run with statistics kept across scenarios (it avoids links
            # that led nowhere) and the database remembers earlier scenarios, so when Hypothesis
            # replays a prefix it can find other rules enabled and calls that inconsistent data
            # generation. Schemathesis' own runner counts such a run as passed unless a check
            # failed (engine/run/stateful/_executor.py, _classify_flaky); so does this test: any
            # failure a step met is raised here, whatever Hypothesis made of its replay.
            if failures:
                raise failures[0] from None
    return followed


def test_links_as_resident(resident_schema):
    # The run went somewhere: document links were followed to answers that worked.
    assert len(_follow_links(resident_schema)) >= 2


def test_links_as_staff(staff_schema):
    assert len(_follow_links(staff_schema)) >= 2
