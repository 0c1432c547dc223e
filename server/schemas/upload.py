from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from server.schemas.common import Body, Query, text


class UploadIn(Schema):
    file = Upload(required=True, metadata={"description": "JPEG、PNG、WebP 或 HEIC 图片"})


class UploadOut(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"description": "带签名的限时链接"})
    thumb_url = fields.String(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)


class FileArgs(Query):
    t = fields.String(load_default="", metadata={"description": "接口返回的签名"})
    size = fields.String(load_default="full", metadata={"description": "full 或 thumb"})


class HideIn(Body):
    reason = text(200, metadata={"description": "隐藏原因，如含人脸、车牌"})
