from marshmallow import Schema, fields, validate

from server.models.people import MEMBERSHIP_STATUSES
from server.schemas.common import Body, PageArgs, envelope, row_id, text


class MembershipIn(Body):
    community_id = row_id(required=True)
    building = text(40, metadata={"description": "楼号，如 12号楼"})
    unit = text(20, min_length=0, required=False, load_default="")
    room = text(20, metadata={"description": "室号，如 301"})


class RejectIn(Body):
    reason = text(200, metadata={"description": "不通过的原因，会告知居民"})


class MembershipArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(MEMBERSHIP_STATUSES))
    community_id = row_id(strict=False)


class CommunityBrief(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)


class HouseholdMatch(Schema):
    matched = fields.Boolean(required=True)
    household_id = fields.Integer(allow_none=True)
    approved_members = fields.Integer(required=True)
    register_size = fields.Integer(allow_none=True)


class MembershipOut(Schema):
    id = fields.Integer(required=True)
    community = fields.Nested(CommunityBrief, required=True)
    building = fields.String(required=True)
    unit = fields.String(required=True)
    room = fields.String(required=True)
    status = fields.String(required=True)
    reason = fields.String(required=True)
    applied_at = fields.DateTime(required=True)
    decided_at = fields.DateTime(allow_none=True)
    household_match = fields.Nested(HouseholdMatch, metadata={
        "description": "仅工作人员可见：与户籍登记的比对结果"})


MembershipPage = envelope(MembershipOut, "MembershipPage")
