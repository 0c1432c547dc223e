from marshmallow import Schema, fields

from server.schemas.common import PageArgs, envelope
from server.schemas.membership import CommunityBrief


class NotificationArgs(PageArgs):
    unread = fields.Boolean(load_default=False, metadata={"description": "只看未读"})


class NotificationOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={
        "description": "membership_decided | report_status | survey_opened | rectification_due | "
                       "eligibility_changed (staff)"})
    title = fields.String(required=True)
    body = fields.String(required=True)
    page = fields.String(required=True, metadata={"description": "点击后打开的小程序页面"})
    community = fields.Nested(CommunityBrief, allow_none=True)
    created_at = fields.DateTime(required=True)
    read_at = fields.DateTime(allow_none=True)
    delivery = fields.String(required=True, metadata={
        "description": "微信推送情况：pending | sending | sent | not_subscribed | "
                       "not_configured | recipient_left | failed"})


NotificationPage = envelope(NotificationOut, "NotificationPage")


class UnreadOut(Schema):
    unread = fields.Integer(required=True)


class ReadAllOut(Schema):
    updated = fields.Integer(required=True)


class StaffNoticeOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "holidays_missing"})
    title = fields.String(required=True)
    body = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    read_at = fields.DateTime(allow_none=True)


StaffNoticePage = envelope(StaffNoticeOut, "StaffNoticePage")
