from flask import send_file
from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.common import IdempotencyHeader
from server.schemas.survey import (ExportIn, ExportOut, ReceiptOut, ResponseIn, SurveyArgs,
                                   SurveyIn, SurveyOut, SurveyPage, SurveyPatch)
from server.schemas.survey_results import ResultsOut
from server.services.surveys import answering, definitions, lifecycle, results
from server.services.surveys import export as exports

blp = Blueprint("surveys", __name__, url_prefix="/api/v1/surveys",
                description="群众满意度问卷：创建、发布、填写、结果与导出")

FILE_RESPONSE = {"200": {"description": "导出的文件", "content": {
    media: {"schema": {"type": "string", "format": "binary"}}
    for media in exports.MEDIA_TYPES.values()}}}


LEVEL_OPTIONS = [{"value": level, "label": label} for level, label in definitions.LEVELS.items()]


def _question(q):
    return {"key": q.key, "kind": q.kind, "text": q.text, "required": q.required,
            "options": LEVEL_OPTIONS if q.kind == "satisfaction" else q.options,
            "area_code": q.area_code, "indicator_code": q.indicator_code, "show_if": q.show_if}


class _SurveyView:
    """A survey as this caller sees it: whether it is open now, whether they answered, whether
    they manage it; a resident sees only their own community of the audience."""

    def __init__(self, actor, survey, answered_by=None):
        self._survey = survey
        self.accepting = lifecycle.accepting(survey)
        answered = answered_by is not None
        self.answered = None if actor.is_staff else answered
        self.answered_by = None if actor.is_staff else answered_by
        self.manageable = actor.is_staff and lifecycle.may_manage(actor.staff, survey)
        self.answer_token = (answering.answer_token(actor.resident, survey)
                             if not actor.is_staff and self.accepting and not answered
                             else None)
        if actor.is_staff:
            self.communities = survey.communities
        else:
            own = lifecycle.approved_membership(actor.resident)
            self.communities = [c for c in survey.communities
                                if own is not None and c.id == own.community_id]

    @property
    def questions(self):
        return [_question(q) for q in self._survey.questions]

    def __getattr__(self, name):
        return getattr(self._survey, name)


def _view(actor, survey):
    answered_by = (None if actor.is_staff
                   else answering.answer_states(actor.resident, [survey.id]).get(survey.id))
    return _SurveyView(actor, survey, answered_by)


@blp.route("", methods=["GET"])
@blp.arguments(SurveyArgs, location="query")
@blp.response(200, SurveyPage)
@authenticated(blp, 422)
@requires()
def list_surveys(args, actor):
    """Residents: the surveys of their community (`?status=open` for those to answer now).
    Staff: the surveys they manage or whose communities are in their scope."""
    page = lifecycle.list_for(actor, args.get("status"), args["page"], args["per_page"])
    answered = {} if actor.is_staff else answering.answer_states(
        actor.resident, [s.id for s in page.items])
    page.items = [_SurveyView(actor, s, answered.get(s.id)) for s in page.items]
    return page


@blp.route("", methods=["POST"])
@blp.arguments(SurveyIn)
@blp.response(201, SurveyOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff")
def create_survey(body, actor):
    """Create a draft for communities in my scope, with questions or from the city-wide
    template (`template_code` without `questions`)."""
    return _view(actor, lifecycle.create(actor, body))


@blp.route("/<id:survey_id>", methods=["GET"])
@blp.response(200, SurveyOut)
@authenticated(blp, 404)
@requires()
def get_survey(survey_id, actor):
    return _view(actor, lifecycle.get_for(actor, survey_id))


@blp.route("/<id:survey_id>", methods=["PATCH"])
# Every field is optional, so a missing body reads as {}; the document says so.
@blp.arguments(SurveyPatch, required=False)
@blp.response(200, SurveyOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff")
def update_survey(body, survey_id, actor):
    """Edit a draft; once published only `intro` and `closes_at` may change."""
    return _view(actor, lifecycle.update(actor, survey_id, body))


@blp.route("/<id:survey_id>/publish", methods=["POST"])
@blp.response(200, SurveyOut)
@authenticated(blp, 403, 404, 409)
@requires("staff")
def publish_survey(survey_id, actor):
    """Publish a draft: its questions freeze and the audience's residents are told."""
    return _view(actor, lifecycle.publish(actor, survey_id))


@blp.route("/<id:survey_id>/close", methods=["POST"])
@blp.response(200, SurveyOut)
@authenticated(blp, 403, 404, 409)
@requires("staff")
def close_survey(survey_id, actor):
    return _view(actor, lifecycle.close(actor, survey_id))


@blp.route("/<id:survey_id>/responses", methods=["POST"])
@blp.arguments(IdempotencyHeader, location="headers")
@blp.arguments(ResponseIn)
@blp.response(201, ReceiptOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires()
def submit_response(headers, body, survey_id, actor):
    """Answer once (per resident or per household, as the survey says). Committee staff enter
    a household's paper answers (代填) by giving `household_id`. A retry with the same
    Idempotency-Key returns the first result; any other second answer is 409. Residents send
    the `answer_token` they got with the survey; sooner than the survey's minimum answer time
    after it was first served, the answer is refused (422 `answered_too_fast`, nothing stored)
    and may simply be sent again."""
    return answering.submit(actor, survey_id, body["answers"], body.get("answer_token"),
                            body.get("household_id"), headers.get("idempotency_key"))


@blp.route("/<id:survey_id>/results", methods=["GET"])
@blp.response(200, ResultsOut)
@authenticated(blp, 404)
@requires()
def survey_results(survey_id, actor):
    """Staff: live results for the survey's communities in their scope. Residents: the
    results of an ended survey."""
    return results.results_for(actor, survey_id)


@blp.route("/<id:survey_id>/exports", methods=["POST"])
@blp.arguments(ExportIn)
@blp.response(202, ExportOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff")
def request_export(body, survey_id, actor):
    """Start an XLSX or CSV export of the results or the anonymous ballots; poll it."""
    return exports.request_export(actor, survey_id, body["format"], body["content"])


@blp.route("/<id:survey_id>/exports/<id:export_id>", methods=["GET"])
@blp.response(200, ExportOut)
@authenticated(blp, 403, 404)
@requires("staff")
def get_export(survey_id, export_id, actor):
    return exports.get_for(actor, survey_id, export_id)


@blp.route("/<id:survey_id>/exports/<id:export_id>/file", methods=["GET"])
@blp.doc(responses=FILE_RESPONSE)
@authenticated(blp, 403, 404, 409)
@requires("staff")
def download_export(survey_id, export_id, actor):
    """Download a finished export (its requester only)."""
    path, name, media_type = exports.file_for(actor, survey_id, export_id)
    return send_file(path, mimetype=media_type, as_attachment=True, download_name=name)
