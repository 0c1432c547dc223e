from marshmallow import Schema, fields, validate

from server.models.outbox import OUTBOX_STATES
from server.schemas.common import PageArgs, envelope


class OutboxArgs(PageArgs):
    state = fields.String(validate=validate.OneOf(OUTBOX_STATES),
                          metadata={"description": "只看某一状态，如 failed（已放弃重试）"})


class OutboxRowOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "待办类型，如 notification.deliver"})
    state = fields.String(required=True)
    attempts = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    due_at = fields.DateTime(required=True)
    finished_at = fields.DateTime(allow_none=True)
    last_error = fields.String(required=True)


OutboxPage = envelope(OutboxRowOut, "OutboxPage")
