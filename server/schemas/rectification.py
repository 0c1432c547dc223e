from marshmallow import Schema, fields, validate

from server.models.rectification import RECTIFICATION_STATUSES
from server.models.report import AREAS
from server.schemas.common import Body, PageArgs, row_id, envelope, text
from server.schemas.report import CommunityRef, PhotoOut


class RectificationIn(Body):
    community_id = row_id(required=True)
    title = text(100)
    requirement = text(2000, metadata={"description": "整改要求"})
    area = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(AREAS))
    report_ids = fields.List(row_id(), load_default=list, validate=validate.Length(max=50))
    deadline = fields.Date(required=True, metadata={"description": "整改期限（上海日期）"})


class RectificationActionIn(Body):
    action = fields.String(required=True, validate=validate.OneOf(("answer", "pass", "return")))
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    photo_ids = fields.List(row_id(), load_default=list, validate=validate.Length(max=9))


class RectificationArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(RECTIFICATION_STATUSES))
    community_id = row_id(strict=False)
    overdue = fields.Boolean(load_default=False)


class RectificationEventOut(Schema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    action = fields.String(required=True)
    note = fields.String(required=True)
    actor = fields.String(required=True)
    photos = fields.List(fields.Nested(PhotoOut), required=True)


class RectificationOut(Schema):
    id = fields.Integer(required=True)
    community = fields.Nested(CommunityRef, required=True)
    title = fields.String(required=True)
    requirement = fields.String(required=True)
    area = fields.String(allow_none=True)
    report_ids = fields.List(fields.Integer(), required=True)
    deadline = fields.Date(required=True)
    status = fields.String(required=True)
    overdue = fields.Boolean(required=True)
    answer = fields.String(required=True)
    verdict_note = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    answered_at = fields.DateTime(allow_none=True)
    verified_at = fields.DateTime(allow_none=True)
    events = fields.List(fields.Nested(RectificationEventOut), required=True)


RectificationPage = envelope(RectificationOut, "RectificationPage")
