from marshmallow import Schema, fields, validate

from server.schemas.common import PageArgs, UnitRef, envelope


class CommunitySearchArgs(PageArgs):
    q = fields.String(load_default="", validate=validate.Length(max=50), metadata={"description": "按小区名称搜索，或输入小区代码"})


class BuildingOut(Schema):
    name = fields.String(required=True)


class CommunityOut(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    address = fields.String(required=True)
    households = fields.Integer(required=True)
    buildings = fields.Pluck(BuildingOut, "name", many=True, required=True)
    residential_area = fields.Nested(UnitRef, required=True)
    street = fields.Nested(UnitRef, required=True)
    district = fields.Nested(UnitRef, required=True)


CommunityPage = envelope(CommunityOut, "CommunityPage")
