from marshmallow import Schema, fields, validate

from server.models.people import ROLES
from server.schemas.common import Body, PageArgs, UnitRef, envelope, text


class StaffArgs(PageArgs):
    role = fields.String(validate=validate.OneOf(ROLES))
    active = fields.Boolean()


class StaffOut(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True)
    scope = fields.Nested(UnitRef, required=True, attribute="scope_unit")
    active = fields.Boolean(required=True)
    wechat_bound = fields.Function(lambda staff: staff.wechat_openid is not None,
                                   metadata={"description": "是否已绑定微信（不返回 openid）"})
    created_at = fields.DateTime(required=True)


StaffPage = envelope(StaffOut, "StaffPage")


class RoleIn(Body):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    scope = text(32, metadata={"description": "管辖机构代码，如 XH-TP-R01"})


class PasswordResetIn(Body):
    password = text(128, metadata={"description": "新密码，至少 10 位"})


class PasswordChangeIn(Body):
    current_password = text(128)
    new_password = text(128, metadata={"description": "新密码，至少 10 位"})
