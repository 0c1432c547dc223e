from marshmallow import Schema, fields

from server.schemas.common import PageArgs, envelope
from server.schemas.membership import CommunityBrief


class NotificationArgs(PageArgs):
    unread = fields.Boolean(load_default=False, metadata={"description": "只看未读"})


DELIVERY_LABELS = {
    "pending": "等待推送到微信",
    "sending": "正在推送到微信",
    "sent": "已推送到微信",
    "not_subscribed": "未推送：未订阅此类微信消息",
    "not_configured": "未推送：微信消息暂未开通",
    "recipient_left": "未推送：已不在该小区",
    "failed": "微信推送失败，请以此处消息为准",
}


def _delivery_label(notification):
    if notification.delivery == "pending" and notification.delivery_attempts:
        return "微信暂时不可用，稍后重试推送"
    return DELIVERY_LABELS[notification.delivery]


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


    delivery_label = fields.Function(_delivery_label, required=True, metadata={
        "type": "string", "description": "推送情况（给人看的中文说明）"})


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
