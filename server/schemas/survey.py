from marshmallow import Schema, ValidationError, fields, validate

from server.models.survey import (AREA_CODES, EXPORT_CONTENTS, EXPORT_FORMATS, QUESTION_KINDS,
                                  RESPONSE_UNITS)
from server.schemas.common import Body, PageArgs, UnitRef, envelope, row_id, text
from server.schemas.membership import CommunityBrief
from server.services.clock import SHANGHAI
from server.services.surveys.definitions import DEFAULT_TEMPLATE_CODE

LIST_STATUSES = ("draft", "published", "closed", "open", "ended")


class ChoiceValue(fields.Field):
    """An option value (text) or a satisfaction level (0-5) in a show-if condition."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"oneOf": [
            {"type": "string", "minLength": 1, "maxLength": 40},
            {"type": "integer", "minimum": 0, "maximum": 5}]}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValidationError("取值应为选项值或满意度等级")
        if isinstance(value, str) and not 1 <= len(value) <= 40:
            raise ValidationError("选项值长度应为 1–40")
        if isinstance(value, int) and not 0 <= value <= 5:
            raise ValidationError("满意度等级应为 0–5")
        return value


def _when(required):
    # A time without an offset is read as Shanghai time, as people there write it.
    return fields.AwareDateTime(format="iso", default_timezone=SHANGHAI, required=required)


class OptionIn(Body):
    value = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9_\-]{1,40}$", error="选项值只能由字母、数字、下划线和短横线组成"))
    label = text(60)


class ConditionIn(Body):
    question = fields.String(required=True, validate=validate.Length(min=1, max=20))
    in_ = fields.List(ChoiceValue(), data_key="in", attribute="in", required=True,
                      validate=validate.Length(min=1, max=20))


class QuestionIn(Body):
    key = fields.String(validate=validate.Length(min=1, max=20), metadata={
        "description": "题目编号，如 q1；省略时按顺序编号"})
    kind = fields.String(required=True, validate=validate.OneOf(QUESTION_KINDS))
    text = text(200)
    required = fields.Boolean(load_default=True)
    options = fields.List(fields.Nested(OptionIn), load_default=list,
                          validate=validate.Length(max=30))
    area_code = fields.String(allow_none=True, validate=validate.OneOf(AREA_CODES))
    indicator_code = fields.String(allow_none=True, validate=validate.Length(min=1, max=40))
    show_if = fields.Nested(ConditionIn, allow_none=True)


def _survey_fields(partial):
    def req(**kwargs):
        return {} if partial else kwargs

    return {
        "title": text(100, required=not partial),
        "intro": text(2000, min_length=0, required=False, **req(load_default="")),
        "community_ids": fields.List(row_id(), required=not partial,
                                     validate=validate.Length(min=1, max=1000)),
        "opens_at": _when(not partial),
        "closes_at": _when(not partial),
        "response_unit": fields.String(validate=validate.OneOf(RESPONSE_UNITS), metadata={
            "description": "household 每户一份 | resident 每人一份"}, **req(load_default="household")),
        "min_duration_seconds": fields.Integer(strict=True, validate=validate.Range(0, 3600),
                                               **req(load_default=30)),
        "count_flagged": fields.Boolean(**req(load_default=True), metadata={
            "description": "答案完全一致（直线作答）的答卷是否计入统计；默认计入，只作标记"}),
        "questions": fields.List(fields.Nested(QuestionIn), validate=validate.Length(max=100)),
    }


SurveyIn = type("SurveyIn", (Body,), {
    **_survey_fields(partial=False),
    "template_code": fields.String(validate=validate.OneOf([DEFAULT_TEMPLATE_CODE]), metadata={
        "description": "不填 questions 时，使用全市通用模板的题目"}),
})
SurveyPatch = type("SurveyPatch", (Body,), _survey_fields(partial=True))


class SurveyArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(LIST_STATUSES), metadata={
        "description": "open 正在填写 | ended 已截止或已结束 | draft | published | closed"})


class OptionOut(Schema):
    value = fields.Raw(required=True, metadata={"description": "选项值；满意度题为等级 5–0"})
    label = fields.String(required=True)


class ConditionOut(Schema):
    question = fields.String(required=True)
    in_ = fields.List(fields.Raw(), data_key="in", attribute="in", required=True)


class QuestionOut(Schema):
    key = fields.String(required=True)
    kind = fields.String(required=True)
    text = fields.String(required=True)
    required = fields.Boolean(required=True)
    options = fields.List(fields.Nested(OptionOut), required=True)
    area_code = fields.String(allow_none=True)
    indicator_code = fields.String(allow_none=True)
    show_if = fields.Nested(ConditionOut, allow_none=True)


class SurveyBrief(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "draft | published | closed"})
    accepting = fields.Boolean(required=True, metadata={"description": "当前可以填写"})
    response_unit = fields.String(required=True)
    opens_at = fields.DateTime(required=True)
    closes_at = fields.DateTime(required=True)
    answered = fields.Boolean(allow_none=True, metadata={
        "description": "居民：本人（按户问卷为本户）是否已填写；工作人员为 null"})
    answered_by = fields.String(allow_none=True, validate=validate.OneOf(
        ["self", "household", "paper"]), metadata={
        "description": "居民：谁填写的。self 本人；household 同户其他家庭成员（按户问卷）；"
                       "paper 居委会代填的纸质问卷。未填写或工作人员为 null。不含任何答案"})
    communities = fields.List(fields.Nested(CommunityBrief), required=True)


class SurveyOut(SurveyBrief):
    intro = fields.String(required=True)
    template_code = fields.String(allow_none=True)
    definition_version = fields.String(required=True)
    min_duration_seconds = fields.Integer(required=True)
    count_flagged = fields.Boolean(required=True)
    owner_unit = fields.Nested(UnitRef, required=True)
    manageable = fields.Boolean(required=True, metadata={"description": "我可以编辑、发布、结束"})
    published_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    questions = fields.List(fields.Nested(QuestionOut), required=True)
    answer_token = fields.String(allow_none=True, metadata={
        "description": "居民：提交答卷时原样带回；记录问卷首次送达的时间，答题用时由服务器计算。"
                       "请随草稿保存第一次得到的值。工作人员为 null"})


SurveyPage = envelope(SurveyBrief, "SurveyPage")


class ResponseIn(Body):
    # Keys are checked against the survey's questions by the service (an unknown key is 422).
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True,
                          validate=validate.Length(max=200), metadata={
                              "description": "题号 -> 答案：满意度题为等级 5–1（0 为不了解），"
                                             "单选为选项值，多选为选项值列表，填空为文字"})
    answer_token = fields.String(validate=validate.Length(min=1, max=400), metadata={
        "description": "居民必填：读取问卷时得到的 answer_token（答题用时由服务器计算）"})
    household_id = row_id(metadata={"description": "仅居委会代填时填写：住户编号"})


class ReceiptOut(Schema):
    survey_id = fields.Integer(required=True)
    status = fields.String(required=True)
    assisted = fields.Boolean(required=True)
    message = fields.String(required=True)


class ExportIn(Body):
    format = fields.String(required=True, validate=validate.OneOf(EXPORT_FORMATS))
    content = fields.String(load_default="results", validate=validate.OneOf(EXPORT_CONTENTS),
                            metadata={"description": "results 统计结果 | ballots 匿名答卷"})


class ExportOut(Schema):
    id = fields.Integer(required=True)
    survey_id = fields.Integer(required=True)
    format = fields.String(required=True)
    content = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "queued | running | done | failed"})
    progress = fields.Integer(required=True, metadata={"description": "0–100"})
    error = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    finished_at = fields.DateTime(allow_none=True)
