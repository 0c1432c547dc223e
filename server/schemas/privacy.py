"""GET /me/data (everything held about the calling resident) and DELETE /me (the account)."""
from marshmallow import Schema, fields, validate

from server.schemas.common import Body

_dt = fields.DateTime


class EraseIn(Body):
    confirm = fields.String(required=True, validate=validate.Length(max=20), metadata={
        "description": "须为“注销”：确认删除账号"})


class HeldProfile(Schema):
    id = fields.Integer(required=True)
    openid = fields.String(required=True, metadata={"description": "掩码显示"})
    unionid_held = fields.Boolean(required=True)
    nickname = fields.String(required=True)
    created_at = _dt(required=True)
    last_login_at = _dt(allow_none=True)


class HeldPhone(Schema):
    phone = fields.String(required=True, metadata={"description": "掩码显示"})
    country_code = fields.String(required=True)
    consented_at = _dt(required=True)


class HeldMembership(Schema):
    id = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    community = fields.String(required=True)
    building = fields.String(required=True)
    unit = fields.String(required=True)
    room = fields.String(required=True)
    status = fields.String(required=True)
    reason = fields.String(required=True)
    household_id = fields.Integer(allow_none=True)
    applied_at = _dt(required=True)
    decided_at = _dt(allow_none=True)
    left_at = _dt(allow_none=True)


class HeldVolunteering(Schema):
    id = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    status = fields.String(required=True)
    applied_at = _dt(required=True)
    decided_at = _dt(allow_none=True)


class HeldPhoto(Schema):
    id = fields.Integer(required=True)
    report_id = fields.Integer(allow_none=True)
    created_at = _dt(required=True)
    url = fields.String(required=True)
    thumb_url = fields.String(required=True)


class HeldReport(Schema):
    id = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    category = fields.String(required=True)
    description = fields.String(required=True)
    building = fields.String(required=True)
    is_public = fields.Boolean(required=True)
    status = fields.String(required=True)
    rating = fields.String(allow_none=True)
    created_at = _dt(required=True)
    photos = fields.List(fields.Nested(HeldPhoto), required=True)


class HeldSupport(Schema):
    report_id = fields.Integer(required=True)
    created_at = _dt(required=True)


class HeldNotification(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    created_at = _dt(required=True)
    read_at = _dt(allow_none=True)
    delivery = fields.String(required=True)


class HeldParticipation(Schema):
    survey_id = fields.Integer(required=True)
    title = fields.String(required=True)
    for_household = fields.Boolean(required=True)


class HeldCheck(Schema):
    id = fields.Integer(required=True)
    media = fields.String(required=True)
    subject_type = fields.String(required=True)
    status = fields.String(required=True)
    created_at = _dt(required=True)


class HeldSession(Schema):
    method = fields.String(required=True)
    created_at = _dt(required=True)
    expires_at = _dt(required=True)
    revoked_at = _dt(allow_none=True)
    current = fields.Boolean(required=True)


class HeldAudit(Schema):
    at = _dt(required=True)
    action = fields.String(required=True)
    object_type = fields.String(required=True)
    object_id = fields.String(required=True)


class HeldDataOut(Schema):
    generated_at = _dt(required=True)
    profile = fields.Nested(HeldProfile, required=True)
    phone = fields.Nested(HeldPhone, allow_none=True, required=True)
    memberships = fields.List(fields.Nested(HeldMembership), required=True)
    volunteering = fields.List(fields.Nested(HeldVolunteering), required=True)
    reports = fields.List(fields.Nested(HeldReport), required=True)
    photos = fields.List(fields.Nested(HeldPhoto), required=True)
    supports = fields.List(fields.Nested(HeldSupport), required=True)
    notifications = fields.List(fields.Nested(HeldNotification), required=True)
    survey_participations = fields.List(fields.Nested(HeldParticipation), required=True)
    survey_answers = fields.String(required=True, metadata={
        "description": "问卷答案匿名保存、无法归属到本人的说明"})
    content_checks = fields.List(fields.Nested(HeldCheck), required=True)
    sessions = fields.List(fields.Nested(HeldSession), required=True)
    audit = fields.List(fields.Nested(HeldAudit), required=True)
