from marshmallow import Schema, fields, validate

from server.schemas.common import Body, Query, text


class PhoneIn(Body):
    code = text(128, metadata={"description": "手机号快速验证组件返回的 code"})
    # JSON true only: "yes" or 1 is not a resident agreeing.
    # The document says true is the only acceptable value (enum), so clients and the fuzz
    # test know that false is refused, not stored.
    consent = fields.Boolean(required=True, truthy={True}, falsy={False},
                             validate=validate.OneOf([True], error="须为 true"), metadata={
                                 "description": "居民同意保存手机号；只接受 true"})


class PhoneOut(Schema):
    phone = fields.String(required=True, metadata={"description": "打码后的手机号"})
    country_code = fields.String(required=True)
    consented_at = fields.DateTime(required=True)


class CallbackArgs(Query):
    signature = fields.String(required=True)
    timestamp = fields.String(required=True)
    nonce = fields.String(required=True)
    echostr = fields.String()
    # Safe mode: the body's Encrypt field is signed by msg_signature.
    encrypt_type = fields.String()
    msg_signature = fields.String()


class WeChatStatusOut(Schema):
    configured = fields.Boolean(required=True, metadata={"description": "是否配置了微信凭证"})
    text_check = fields.Boolean(required=True)
    media_check = fields.Boolean(required=True)
    templates = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True)
    deliveries = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                             metadata={"description": "管辖范围内消息的推送情况计数"})
    unsent_outbox = fields.Integer(required=True)
    outbox = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                         metadata={"description": "后台待办按状态计数（pending, enqueued, "
                                                  "running, done, failed）；failed 为已放弃重试"})


class SubscribeTemplatesOut(Schema):
    """{kind: template_id} for the subscribe-message templates this server sends with; a kind
    without a configured template is absent, so the app asks residents only for real ones."""

    membership_decided = fields.String(metadata={"description": "入户审核结果"})
    report_status = fields.String(metadata={"description": "反映办理进度"})
    survey_opened = fields.String(metadata={"description": "新问卷"})
    rectification_due = fields.String(metadata={"description": "整改到期"})
    eligibility_changed = fields.String(metadata={"description": "申报资格变化（工作人员）"})
