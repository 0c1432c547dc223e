"""Scores, eligibility, status, veto events, entered indicators, stages and cycles."""
from marshmallow import Schema, ValidationError, fields, validate

from server.schemas.common import Body, Query, row_id, text
from server.schemas.eligibility import Reason
from server.services.scoring.cycle import MOVES

DAY = {"format": "date"}


class EntryValue(fields.Field):
    """A grade (text, e.g. "A") or a number 0-100, as the indicator's rule needs; the service
    checks it against the rule."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {})["oneOf"] = [
            {"type": "string", "minLength": 1, "maxLength": 20}, {"type": "number"}]
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValidationError("请填写等级（如 A）或 0–100 的数值")
        if isinstance(value, str) and not 0 < len(value) <= 20:
            raise ValidationError("等级长度为 1–20 个字符")
        return value


class ScoreArgs(Query):
    at = fields.AwareDateTime(metadata={"description": "显示该时刻的得分（默认现在）"})
    cycle_id = row_id(strict=False)


class ScoreItem(Schema):
    code = fields.String(required=True)
    area = fields.String(required=True)
    name = fields.String(required=True)
    method = fields.String(required=True)
    weight = fields.Float(required=True)
    status = fields.String(required=True, metadata={
        "description": "ok | insufficient_data（样本不足，不计数值） | not_entered（未填报）"})
    value = fields.Float(allow_none=True)
    grade = fields.String(allow_none=True)
    points = fields.Float(allow_none=True)
    self_value = fields.String(allow_none=True)
    self_points = fields.Float(allow_none=True)
    street_value = fields.String(allow_none=True)
    street_points = fields.Float(allow_none=True, metadata={
        "description": "街镇评定值对应的得分（第十一条（一）自评分由此相加）"})
    reviewed_value = fields.String(allow_none=True)
    value_from = fields.String(allow_none=True)
    source = fields.Dict(required=True)
    exact = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), metadata={
        "description": "未经舍入的精确得分（文本）；合计与 95 分比较时用它们相加"})


class AreaScore(Schema):
    weight = fields.Float(required=True)
    points = fields.Float(required=True)
    unknown = fields.Float(required=True)


class Closer(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    area = fields.String(required=True)
    status = fields.String(required=True)
    points_available = fields.Float(required=True)


class Gap(Schema):
    target = fields.Float(required=True)
    gap = fields.Float(required=True)
    closers = fields.List(fields.Nested(Closer), required=True)


class FrameworkBrief(Schema):
    id = fields.Integer(required=True)
    version = fields.String(required=True)
    name = fields.String(required=True)
    illustrative = fields.Boolean(required=True)
    notice = fields.String(required=True)


class SnapshotBrief(Schema):
    id = fields.Integer(required=True)
    computed_at = fields.DateTime(required=True)
    reason = fields.String(required=True)
    total = fields.Float(required=True)
    self_total = fields.Float(required=True)
    unknown_points = fields.Float(required=True)
    satisfaction_part = fields.Float(allow_none=True)
    supervision_part = fields.Float(allow_none=True)


class Snapshot(SnapshotBrief):
    framework = fields.Nested(FrameworkBrief, required=True)
    areas = fields.Dict(keys=fields.String(), values=fields.Nested(AreaScore), required=True)
    items = fields.List(fields.Nested(ScoreItem), required=True)
    gap = fields.Nested(Gap, required=True)


class ScoresOut(Schema):
    community_id = fields.Integer(required=True)
    cycle_id = fields.Integer(allow_none=True)
    current = fields.Nested(Snapshot, allow_none=True, required=True)
    history = fields.List(fields.Nested(SnapshotBrief), required=True)


class SelfAssessmentIn(Body):
    value = EntryValue(required=True, metadata={"description": "等级（如 A）或 0–100 的数值"})
    note = text(500, min_length=0, required=False, load_default="")
    evidence = fields.List(fields.String(validate=validate.Length(max=300)),
                           validate=validate.Length(max=20), load_default=list)


class EntryReviewIn(Body):
    decision = fields.String(required=True, validate=validate.OneOf(("agree", "change")))
    value = EntryValue(load_default=None)
    reason = text(500, min_length=0, required=False, load_default="")


class EntryOut(Schema):
    id = fields.Integer(required=True)
    indicator_code = fields.Function(lambda e: e.indicator.code)
    self_value = fields.String(required=True)
    self_note = fields.String(required=True)
    evidence = fields.List(fields.String(), required=True)
    self_at = fields.DateTime(required=True)
    street_decision = fields.String(allow_none=True)
    street_value = fields.String(allow_none=True)
    street_reason = fields.String(required=True)
    street_at = fields.DateTime(allow_none=True)
    district_decision = fields.String(allow_none=True)
    district_value = fields.String(allow_none=True)
    district_reason = fields.String(required=True)
    district_at = fields.DateTime(allow_none=True)
    reviewed_value = fields.String(allow_none=True)


class StageIn(Body):
    action = fields.String(required=True, validate=validate.OneOf(list(MOVES)))
    score = fields.Float(load_default=None, allow_nan=False,
                         validate=validate.Range(min=0, max=100),
                         metadata={"description": "市级测评成绩（city_assess 时填写）"})
    note = text(300, min_length=0, required=False, load_default="")


class ParticipationOut(Schema):
    id = fields.Integer(required=True)
    cycle_id = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    stage = fields.String(required=True)
    stage_since = fields.Date(required=True)
    creation_started_on = fields.Date(allow_none=True)
    creation_source = fields.String(allow_none=True, metadata={
        "description": "first_stage 系统首次记录的环节 | street_record 街镇依据台账确认"})
    creation_record = fields.String(required=True)
    applied_on = fields.Date(allow_none=True)
    applied_score = fields.Float(allow_none=True)
    selection_rank = fields.Integer(allow_none=True)
    selection_note = fields.String(required=True)
    city_score = fields.Float(allow_none=True)
    note = fields.String(required=True)


class Trend(Schema):
    direction = fields.String(required=True, metadata={"description": "up | down | flat | unknown"})
    change = fields.Float(allow_none=True)
    since = fields.String(allow_none=True)


class ScorePart(Schema):
    points = fields.Float(allow_none=True)
    max_points = fields.Float(required=True)
    unknown_points = fields.Float(required=True)
    trend = fields.Nested(Trend, required=True)


class StatusOut(Schema):
    community = fields.Dict(required=True)
    title = fields.Dict(required=True, metadata={
        "description": "{held, since, kept_on, ended_on, end_reason (review_failed | lapsed), "
                       "end_label, review_due_by}"})
    cycle = fields.Dict(allow_none=True, required=True)
    stage = fields.Dict(allow_none=True, required=True)
    score = fields.Dict(keys=fields.String(), allow_none=True, required=True, metadata={
        "description": "{computed_at, satisfaction: ScorePart, supervision: ScorePart}"})
    reports_this_month = fields.Dict(required=True)
    open_rectifications = fields.Integer(required=True)
    latest_survey = fields.Dict(allow_none=True, required=True)
    as_of = fields.String(required=True)


class CycleIn(Body):
    start_year = fields.Integer(required=True, strict=True,
                                validate=validate.Range(min=2000, max=2100))
    name = text(60, required=False)
    framework_version = text(40, required=False)


class QuotaEntry(Schema):
    district_id = row_id(required=True)
    quota = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=10000))


class QuotasIn(Body):
    quotas = fields.List(fields.Nested(QuotaEntry), load_default=list,
                         validate=validate.Length(max=100))
    city_quota = fields.Integer(strict=True, load_default=None,
                                validate=validate.Range(min=0, max=100000),
                                metadata={"description": "全市名额（第十一条（三））"})


class QuotaOut(Schema):
    district_id = fields.Integer(required=True)
    quota = fields.Integer(required=True)


class CycleOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    start_year = fields.Integer(required=True)
    end_year = fields.Integer(required=True)
    framework_id = fields.Integer(allow_none=True)
    city_quota = fields.Integer(allow_none=True)
    quotas = fields.List(fields.Nested(QuotaOut), required=True)


class CandidateArgs(Query):
    district_id = row_id(strict=False)


class Candidate(Schema):
    rank = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    stage = fields.String(required=True)
    score = fields.Float(required=True)
    satisfaction_part = fields.Float(allow_none=True)
    supervision_part = fields.Float(allow_none=True)
    applied_on = fields.Date(allow_none=True)
    tie_note = fields.String(required=True, metadata={"description": "同分并列时说明与谁并列"})
    eligible = fields.Boolean(required=True)
    reasons = fields.List(fields.Nested(Reason), required=True)


class CandidatesOut(Schema):
    cycle_id = fields.Integer(required=True)
    district_id = fields.Integer(required=True)
    quota = fields.Integer(allow_none=True)
    selected = fields.Integer(required=True, metadata={"description": "已占用的名额"})
    candidates = fields.List(fields.Nested(Candidate), required=True)


class SelectionIn(Body):
    community_ids = fields.List(row_id(), required=True, validate=validate.Length(max=1000))
