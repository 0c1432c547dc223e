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
    answers = _maybe(fields.Integer, metadata={"description": "回答数（含“不了解”）；不足 5 户时为 null"})
    valid = _maybe(fields.Integer, metadata={"description": "有效回答数（不含“不了解”）"})
    unknown = _maybe(fields.Integer)
    respondents = _maybe(fields.Integer, metadata={
        "description": "有有效回答的户数（每户只计一次）；不足 5 户时为 null"})
    suppressed = fields.Boolean(required=True, metadata={
        "description": "少于 5 户（已作答的居民本人查看时为除本人外 5 户）作出有效回答时不公布"})
    satisfied = _maybe(fields.Integer)
    rate = _maybe(metadata={"description": "满意率，0–1"})
    mean = _maybe(metadata={"description": "均值，0–100"})
    ci_low = _maybe(metadata={"description": "满意率 95% 置信区间下限（按户聚类的 Wilson 区间）"})
    ci_high = _maybe()
    shares = fields.List(fields.Nested(Share), required=True, allow_none=True)


class AreaStats(Stats):
    code = fields.String(required=True)
    name = fields.String(required=True)
    question_keys = fields.List(fields.String(), required=True)


class OptionCount(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)
    count = _n()
    share = fields.Float(required=True)


class Comments(Schema):
    count = _n(metadata={"description": "已公布的留言数"})
    shown = fields.Boolean(required=True, metadata={
        "description": "每个小区满 8 条才成批公布，顺序随机（仅工作人员）"})
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


class CommunityCell(Schema):
    community_id = _n()
    community = fields.String(required=True)
    suppressed = fields.Boolean(required=True)
    respondents = _maybe(fields.Integer)
    rate = _maybe()


class Flagged(Schema):
    straight_line = _maybe(fields.Integer, metadata={
        "description": "各题答案完全一致的答卷数；为 1–4 户时不公布"})
    suppressed = fields.Boolean(required=True)
    counted = fields.Boolean(required=True, metadata={"description": "被标记的答卷是否计入统计"})


class Ballots(Schema):
    counted = _n(metadata={"description": "计入统计的答卷数（已公布的小区）"})
    total = _maybe(fields.Integer)
    flagged = fields.Nested(Flagged, required=True)


class ResponseRate(Schema):
    registered_households = _n(metadata={"description": "住户底册上的户数"})
    responding_households = _maybe(fields.Integer, metadata={"description": "已作答的户数"})
    rate = _maybe(metadata={"description": "参与率 = 已作答户数 ÷ 底册户数（只计可公布的小区）"})
    withheld_communities = _n(metadata={"description": "作答不足 5 户、未计入的小区数"})


class Disclosure(Schema):
    min_households = _n(metadata={"description": "每个数字至少基于的户数"})
    communities = _n()
    withheld_communities = _n(metadata={"description": "答卷不足门槛、不计入任何数字的小区数"})
    released_at = _maybe(fields.DateTime, metadata={
        "description": "本次公布的时间；新增满 5 户才会更新"})


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
    disclosure = fields.Nested(Disclosure, required=True)
    ballots = fields.Nested(Ballots, required=True)
    response_rate = fields.Nested(ResponseRate, required=True)
    overall = fields.Nested(Stats, required=True)
    areas = fields.List(fields.Nested(AreaStats), required=True)
    questions = fields.List(fields.Nested(QuestionResult), required=True)
    communities = fields.List(fields.Nested(CommunityCell), required=True, allow_none=True,
                              metadata={"description": "按小区：不足 5 户的小区不公布（仅工作人员）"})
    trend = fields.Nested(Trend, required=True, allow_none=True)
