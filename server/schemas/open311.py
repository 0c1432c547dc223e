from marshmallow import Schema, fields

from server.schemas.common import Body, envelope, text


class PartnerKeyIn(Body):
    name = text(60, metadata={"description": "合作系统名称，如 徐汇区12345工单系统"})


class PartnerKeyOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    key_prefix = fields.String(required=True, metadata={"description": "密钥前 8 位，用于辨认"})
    active = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(allow_none=True)


class PartnerKeyIssued(PartnerKeyOut):
    api_key = fields.String(required=True, metadata={
        "description": "只显示这一次；服务器只保存其哈希"})


PartnerKeyPage = envelope(PartnerKeyOut, "PartnerKeyPage")
