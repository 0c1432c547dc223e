"""The shape of GET /api/v1/surveys/{id}/results."""
from marshmallow import Schema, fields


def _n(**kwargs):
    return fields.Integer(required=True, **kwargs)


def _maybe(field=fields.Float, **kwargs):
    return field(required=True, allow_none=True, **kwargs)


class Share(Schema):
    level = _n()
    label = fields.String(required=True)
    count = _n()
    share = _maybe(metadata={"description": "占有效回答的比例；“不了解”为 null"})


class Stats(Schema):
    answers = _n(metadata={"description": "回答数（含“不了解”）"})
    valid = _n(metadata={"description": "有效回答数（不含“不了解”）"})
    unknown = _n()
    suppressed = fields.Boolean(required=True, metadata={
        "description": "有效回答少于 5 个时不公布比例与均值"})
    satisfied = _maybe(fields.Integer)
    rate = _maybe(metadata={"description": "满意率，0–1"})
    mean = _maybe(metadata={"description": "均值，0–100"})
    ci_low = _maybe(metadata={"description": "满意率 95% Wilson 置信区间下限"})
    ci_high = _maybe()
    shares = fields.List(fields.Nested(Share), required=True, allow_none=True)


class AreaStats(Stats):
    code = fields.String(required=True)
    name = fields.String(required=True)
    question_keys = fields.List(fields.String(), required=True)
    online = fields.Nested(Stats, required=True)
    assisted = fields.Nested(Stats, required=True, metadata={"description": "代填答卷单独统计"})


class OptionCount(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)
    count = _n()
    share = fields.Float(required=True)


class Comments(Schema):
    count = _n()
    shown = fields.Boolean(required=True, metadata={"description": "满 8 条才展示（仅工作人员）"})
    items = fields.List(fields.String(), required=True)


class QuestionResult(Schema):
    key = fields.String(required=True)
    text = fields.String(required=True)
    kind = fields.String(required=True)
    area_code = _maybe(fields.String)
    indicator_code = _maybe(fields.String)
    respondents = _maybe(fields.Integer)
    stats = fields.Nested(Stats, required=True, allow_none=True)
    options = fields.List(fields.Nested(OptionCount), required=True, allow_none=True)
    comments = fields.Nested(Comments, required=True, allow_none=True)


class BuildingCell(Schema):
    building = fields.String(required=True)
    suppressed = fields.Boolean(required=True)
    ballots = _maybe(fields.Integer)
    rate = _maybe()


class CommunityCell(Schema):
    suppressed = fields.Boolean(required=True)
    ballots = _maybe(fields.Integer)
    rate = _maybe()
    community_id = _n()
    community = fields.String(required=True)
    buildings = fields.List(fields.Nested(BuildingCell), required=True)


class Flagged(Schema):
    total = _n()
    too_fast = _n()
    straight_line = _n()
    counted = fields.Boolean(required=True, metadata={"description": "被标记的答卷是否计入统计"})
    min_duration_seconds = _n()


class Ballots(Schema):
    total = _n()
    counted = _n()
    online = _n()
    assisted = _n()
    flagged = fields.Nested(Flagged, required=True)


class ResponseRate(Schema):
    registered_households = _n()
    responding_households = _n()
    responses = _n()
    rate = _maybe()


class Definition(Schema):
    version = fields.String(required=True)
    text = fields.String(required=True)


class TrendRow(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    rate = _maybe()
    previous_rate = _maybe()
    change = _maybe()


class Trend(Schema):
    survey_id = _n()
    title = fields.String(required=True)
    definition_version = fields.String(required=True)
    comparable = fields.Boolean(required=True)
    areas = fields.List(fields.Nested(TrendRow), required=True)


class ResultsOut(Schema):
    survey_id = _n()
    status = fields.String(required=True)
    live = fields.Boolean(required=True, metadata={"description": "问卷仍在进行，结果实时更新"})
    definition = fields.Nested(Definition, required=True)
    ballots = fields.Nested(Ballots, required=True)
    response_rate = fields.Nested(ResponseRate, required=True)
    overall = fields.Nested(Stats, required=True)
    areas = fields.List(fields.Nested(AreaStats), required=True)
    questions = fields.List(fields.Nested(QuestionResult), required=True)
    buildings = fields.List(fields.Nested(CommunityCell), required=True, allow_none=True,
                            metadata={"description": "按楼栋：少于 5 份的格子不公布（仅工作人员）"})
    trend = fields.Nested(Trend, required=True, allow_none=True)
