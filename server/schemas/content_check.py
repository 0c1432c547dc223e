from marshmallow import Schema, fields, validate

from server.models.content_check import ANONYMOUS_SUBJECTS, CHECK_STATES
from server.schemas.common import Body, PageArgs, envelope, text
from server.schemas.membership import CommunityBrief


class ContentCheckArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(CHECK_STATES))


class ContentCheckOut(Schema):
    id = fields.Integer(required=True)
    media = fields.String(required=True, metadata={"description": "text | image"})
    subject_type = fields.String(required=True)
    subject_id = fields.String(required=True)
    community = fields.Nested(CommunityBrief, allow_none=True)
    author_id = fields.Method("_author_id", allow_none=True, metadata={
        "type": "integer",
        "description": "作者（居民）编号；问卷意见为匿名内容，始终为空"})
    content = fields.String(required=True, metadata={"description": "文字内容，或图片地址"})
    status = fields.String(required=True, metadata={
        "description": "pending 待检测 | passed 已通过 | risky 待人工审核 | skipped 未检测 | "
                       "rejected 已驳回"})
    suggest = fields.String(required=True)
    label = fields.Integer(allow_none=True)
    last_error = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    checked_at = fields.DateTime(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    review_note = fields.String(required=True)

    def _author_id(self, check):
        # A survey comment must not lead staff to the resident who wrote it: surveys promise
        # that no one can link a resident to what they answered.
        if check.subject_type in ANONYMOUS_SUBJECTS:
            return None
        return check.author_id


ContentCheckPage = envelope(ContentCheckOut, "ContentCheckPage")


class ReviewIn(Body):
    note = text(200, min_length=0, required=False, load_default="",
                metadata={"description": "审核说明"})
