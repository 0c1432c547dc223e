"""Eligibility answers, veto events, the creation start and the city's recorded decisions."""
from marshmallow import Schema, fields, validate

from server.schemas.common import Body, Query, row_id, text
from server.services.scoring.articles import VETO_ARTICLE, VETO_KINDS, ARTICLES
from server.services.scoring.eligibility import STAGES

DAY = {"format": "date"}


class Reason(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    article = fields.String(metadata={"description": "依据条款，如 第十条（四）"})
    article_text = fields.String()
    since = fields.String(metadata=DAY)
    eligible_from = fields.String(metadata=DAY)
    recorded_on = fields.String(metadata=DAY)
    kind = fields.String()
    event_id = fields.Integer()
    community_id = fields.Integer()
    score = fields.Float()
    quota = fields.Integer()
    selected = fields.Integer()
    indicators = fields.List(fields.String())


class EligibilityArgs(Query):
    on = fields.Date(metadata={"description": "按哪一天判断（默认今天）"})
    stage = fields.String(validate=validate.OneOf(STAGES), metadata={
        "description": "哪个环节（默认：该小区的下一环节）"})


class EligibilityOut(Schema):
    eligible = fields.Boolean(required=True)
    stage = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "new 新申报 | review 复查"})
    on = fields.String(required=True, metadata=DAY)
    cycle_id = fields.Integer(allow_none=True)
    self_score = fields.Float(allow_none=True, metadata={
        "description": "街镇评定的自评分（精确相加后显示时舍入到 0.01）"})
    applied_on = fields.String(allow_none=True, metadata=DAY)
    eligible_from = fields.String(allow_none=True, metadata=DAY)
    reasons = fields.List(fields.Nested(Reason), required=True)


class VetoEventIn(Body):
    kind = fields.String(required=True, validate=validate.OneOf(list(VETO_KINDS)))
    occurred_on = fields.Date(required=True)
    note = text(500, min_length=0, required=False, load_default="")
    evidence = fields.List(fields.String(validate=validate.Length(max=300)),
                           validate=validate.Length(max=20), load_default=list)


class VetoCorrectionIn(Body):
    kind = fields.String(validate=validate.OneOf(list(VETO_KINDS)), load_default=None)
    occurred_on = fields.Date(load_default=None)
    note = text(500, min_length=0, required=False, load_default=None)
    reason = text(300, metadata={"description": "更正理由（必填，记入审计）"})


class VetoWithdrawIn(Body):
    reason = text(300, metadata={"description": "撤销理由（必填，记入审计）"})


class VetoHistory(Schema):
    action = fields.String(required=True, metadata={"description": "record | correct | withdraw"})
    at = fields.DateTime(required=True)
    by_staff_id = fields.Integer(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


class VetoEventOut(Schema):
    id = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    residential_area_id = fields.Integer(allow_none=True, metadata={
        "description": "第十条（一）：涉及整个居民区，该居民区所有小区均受影响"})
    kind = fields.String(required=True)
    kind_label = fields.Function(lambda e: VETO_KINDS[e.kind])
    article = fields.Function(lambda e: ARTICLES[VETO_ARTICLE[e.kind]][0])
    occurred_on = fields.Date(required=True)
    note = fields.String(required=True)
    evidence = fields.List(fields.String(), required=True)
    status = fields.String(required=True, metadata={"description": "active | withdrawn"})
    withdrawn_reason = fields.String(required=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    recorded_by_id = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    history = fields.List(fields.Nested(VetoHistory), required=True)


class CreationStartIn(Body):
    started_on = fields.Date(required=True)
    record = text(300, metadata={"description": "街镇确认所依据的台账、文件编号"})
    reason = text(300, min_length=0, required=False, load_default="")


class DecisionOut(Schema):
    id = fields.Integer(required=True)
    step = fields.String(required=True, metadata={
        "description": "preliminary | opinion | consulted | formal | approval | naming | "
                       "not_named | re_examination"})
    outcome = fields.String(required=True)
    department = fields.String(required=True)
    note = fields.String(required=True)
    decided_on = fields.Date(required=True)
    decided_by_id = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)


class CityCandidate(Schema):
    rank = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    stage = fields.String(required=True)
    score = fields.Float(required=True, metadata={"description": "市级测评成绩"})
    applied_on = fields.Date(allow_none=True)
    tie_note = fields.String(required=True)
    eligible = fields.Boolean(required=True)
    reasons = fields.List(fields.Nested(Reason), required=True)
    decisions = fields.List(fields.Nested(DecisionOut), required=True)


class CityRankingOut(Schema):
    cycle_id = fields.Integer(required=True)
    city_quota = fields.Integer(allow_none=True)
    on_list = fields.Integer(required=True, metadata={"description": "已列入初步候选名单及以后的数量"})
    candidates = fields.List(fields.Nested(CityCandidate), required=True)


class CityListIn(Body):
    step = fields.String(required=True, validate=validate.OneOf(
        ("preliminary", "formal", "approval")))
    community_ids = fields.List(row_id(), required=True, validate=validate.Length(min=1, max=1000))
    note = text(500, min_length=0, required=False, load_default="")


class OpinionIn(Body):
    department = text(100, metadata={"description": "市级职能部门"})
    opinion = fields.String(required=True, validate=validate.OneOf(("agree", "object")))
    note = text(500, min_length=0, required=False, load_default="")
