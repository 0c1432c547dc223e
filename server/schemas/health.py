from marshmallow import Schema, fields, validate


class ReadyOut(Schema):
    status = fields.String(required=True,
                           validate=validate.OneOf(["ready", "degraded", "not_ready"]),
                           metadata={"description": "ready；degraded 需运维关注；not_ready 不可服务"})
    database = fields.Boolean(required=True)
    redis = fields.Boolean(required=True)
    workers = fields.Integer(required=True, metadata={"description": "心跳正常的后台进程数"})
    oldest_pending_seconds = fields.Integer(
        required=True, allow_none=True,
        metadata={"description": "最早未完成的后台待办已等待的秒数；数据库不可用时为空"})
