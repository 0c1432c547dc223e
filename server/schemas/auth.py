from marshmallow import Schema, fields, validate

from server.schemas.common import Body, UnitRef, text
from server.schemas.membership import MembershipOut


class WeChatLoginIn(Body):
    code = text(128, metadata={"description": "wx.login 返回的 code"})


class DevLoginIn(Body):
    openid = fields.String(required=True, validate=[
        validate.Length(min=1, max=64),
        validate.Regexp(r"^[A-Za-z0-9_-]+$", error="只能包含字母、数字、下划线和连字符")])


class StaffLoginIn(Body):
    username = text(40)
    password = text(128)


class StaffBindIn(Body):
    code = text(128, metadata={"description": "wx.login 返回的 code"})
    username = text(40)
    password = text(128)


class UserOut(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["resident", "staff"]))
    id = fields.Integer(required=True)


class TokenOut(Schema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)
    user = fields.Nested(UserOut, required=True)


class MeOut(Schema):
    """Residents and staff share one shape; fields that do not apply are null or empty.
    An openid is never part of it."""

    kind = fields.String(required=True)
    id = fields.Integer(required=True)
    username = fields.String(allow_none=True)
    display_name = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    scope = fields.Nested(UnitRef, allow_none=True)
    memberships = fields.List(fields.Nested(MembershipOut), required=True)
