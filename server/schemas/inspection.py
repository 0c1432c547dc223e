from marshmallow import Schema, fields, validate

from server.models.inspection import GRADES, INSPECTION_STATES, POINT_KINDS, VOLUNTEER_STATES
from server.schemas.common import Body, PageArgs, envelope, row_id


class VolunteerOut(Schema):
    id = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    community_name = fields.String(required=True)
    status = fields.String(required=True)
    reason = fields.String(required=True)
    applied_at = fields.DateTime(required=True)
    decided_at = fields.DateTime(allow_none=True)


class VolunteerMe(Schema):
    volunteer = fields.Nested(VolunteerOut, allow_none=True, required=True)


class VolunteerArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(VOLUNTEER_STATES))


class DecisionIn(Body):
    reason = fields.String(load_default="", validate=validate.Length(max=200))


VolunteerPage = envelope(VolunteerOut, "VolunteerPage")


class GroupIn(Body):
    kind = fields.String(required=True, validate=validate.OneOf(POINT_KINDS))
    indicator_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    population = fields.List(fields.String(validate=validate.Length(min=1, max=60)),
                             required=True, validate=validate.Length(min=1, max=200),
                             metadata={"description": "全部点位名称（抽样总体），按此顺序保存"})
    size = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=200))


class DrawIn(Body):
    community_id = row_id(required=True)
    volunteer_id = row_id(required=True)
    groups = fields.List(fields.Nested(GroupIn), required=True,
                         validate=validate.Length(min=1, max=10))
    seed = fields.Integer(strict=True, load_default=None, allow_none=True,
                          validate=validate.Range(min=0, max=2**63 - 1),
                          metadata={"description": "不填则随机生成；保存后可复现抽样"})


class ItemOut(Schema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    kind = fields.String(required=True)
    point = fields.String(required=True)
    indicator_code = fields.String(required=True)
    grade = fields.String(allow_none=True)
    photo_id = fields.Integer(allow_none=True)
    note = fields.String(required=True)
    graded_at = fields.DateTime(allow_none=True)


class GroupOut(Schema):
    kind = fields.String(required=True)
    indicator_code = fields.String(required=True)
    population = fields.List(fields.String(), required=True)
    size = fields.Integer(required=True)


class InspectionOut(Schema):
    id = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    community_name = fields.String(required=True)
    cycle_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(INSPECTION_STATES))
    seed = fields.String(required=True, metadata={
        "description": "random.Random(int(seed)) 依次对各组 population 抽取 size 个即可复现"})
    groups = fields.List(fields.Nested(GroupOut), required=True)
    items = fields.List(fields.Nested(ItemOut), required=True)
    created_at = fields.DateTime(required=True)
    submitted_at = fields.DateTime(allow_none=True)


InspectionPage = envelope(InspectionOut, "InspectionPage")


class InspectionArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(INSPECTION_STATES))


class GradeIn(Body):
    grade = fields.String(required=True, validate=validate.OneOf(GRADES))
    photo_id = row_id(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=200))


class SourceOut(Schema):
    source = fields.String(required=True, metadata={"description": "official | volunteer"})
    label = fields.String(required=True)
    status = fields.String(required=True)
    grade = fields.String(allow_none=True)
    value_from = fields.String(allow_none=True)
    points = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    inspections = fields.Integer()


class FieldIndicatorOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    area = fields.String(required=True)
    weight = fields.Float(required=True)
    sources = fields.List(fields.Nested(SourceOut), required=True)


class FieldInspectionOut(Schema):
    community_id = fields.Integer(required=True)
    cycle_id = fields.Integer(allow_none=True)
    indicators = fields.List(fields.Nested(FieldIndicatorOut), required=True)
