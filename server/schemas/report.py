from marshmallow import Schema, fields, validate

from server.models.report import RATINGS, REPORT_STATUSES
from server.schemas.common import Body, PageArgs, Query, envelope, row_id, text
from server.services.reports.workflow import HANDLER_KINDS, STAFF_ACTIONS

PHOTO_IDS = {"validate": validate.Length(max=9),
             "metadata": {"description": "先调用 POST /api/v1/uploads 得到的图片 id，最多 9 张"}}


class CategoryOut(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    area = fields.String(required=True, metadata={"description": "标准领域 S1–S7"})
    handler = fields.String(required=True)
    hint = fields.String(required=True)
    contact_days = fields.Integer(required=True)
    accept_days = fields.Integer(required=True)
    resolve_days = fields.Integer(required=True)
    public = fields.Boolean(required=True)
    emergency = fields.Boolean(required=True, metadata={
        "description": "紧急情况：提示居民拨打 110/119，不能提交反映"})


class CategoryList(Schema):
    items = fields.List(fields.Nested(CategoryOut), required=True)


class Latitude(fields.Float):
    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(min=-90, max=90), allow_nan=False, **kwargs)


class Longitude(fields.Float):
    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(min=-180, max=180), allow_nan=False, **kwargs)


class ReportIn(Body):
    category_id = row_id(required=True)
    description = text(500, metadata={"description": "问题描述"})
    building = text(40, min_length=0, required=False, load_default="")
    latitude = Latitude(load_default=None, allow_none=True)
    longitude = Longitude(load_default=None, allow_none=True)
    is_public = fields.Boolean(load_default=True, metadata={"description": "其他居民能否看到"})
    photo_ids = fields.List(row_id(), load_default=list, **PHOTO_IDS)


class SimilarArgs(Query):
    category_id = row_id(strict=False, required=True)
    building = fields.String(load_default="", validate=validate.Length(max=40))
    latitude = Latitude(load_default=None)
    longitude = Longitude(load_default=None)


class ReportArgs(PageArgs):
    mine = fields.Boolean(load_default=False, metadata={"description": "只看我提交的"})
    status = fields.String(validate=validate.OneOf(REPORT_STATUSES))
    community_id = row_id(strict=False)
    category_id = row_id(strict=False)
    street_id = row_id(strict=False)
    overdue = fields.Boolean(load_default=False)
    reworked = fields.Boolean(load_default=False)


class ActionIn(Body):
    action = fields.String(required=True, validate=validate.OneOf(STAFF_ACTIONS))
    note = fields.String(load_default="", validate=validate.Length(max=1000), metadata={
        "description": "说明；reject、resolve、request_extension 时必填"})
    photo_ids = fields.List(row_id(), load_default=list, validate=PHOTO_IDS["validate"],
                            metadata={"description": "resolve 时必填：办结后的现场照片（至少 1 张，"
                                                     "先调用 POST /api/v1/uploads），最多 9 张"})
    merged_into_id = row_id(load_default=None, allow_none=True)
    handler_kind = fields.String(load_default=None, validate=validate.OneOf(HANDLER_KINDS))
    handler_name = fields.String(load_default="", validate=validate.Length(max=60))
    referral_ref = fields.String(load_default="", validate=validate.Length(max=40))
    days = fields.Integer(strict=True, load_default=None, allow_none=True,
                          validate=validate.Range(min=1, max=60))


class RatingIn(Body):
    rating = fields.String(required=True, validate=validate.OneOf(RATINGS), metadata={
        "description": "satisfied 满意 / basically_satisfied 基本满意 / dissatisfied 不满意"})
    note = fields.String(load_default="", validate=validate.Length(max=300))


class PhotoOut(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"description": "带签名的限时链接"})
    thumb_url = fields.String(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    hidden = fields.Boolean(required=True)


class EventOut(Schema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    actor = fields.String(required=True, metadata={"description": "居民 / 居委会 / 街道 / 系统"})
    action = fields.String(required=True)
    from_status = fields.String(required=True)
    to_status = fields.String(required=True)
    note = fields.String(required=True)
    data = fields.Dict(required=True)
    photos = fields.List(fields.Nested(PhotoOut), required=True)


class ExtensionOut(Schema):
    id = fields.Integer(required=True)
    days = fields.Integer(required=True)
    reason = fields.String(required=True)
    status = fields.String(required=True)
    requested_at = fields.DateTime(required=True)
    new_due_date = fields.Date(allow_none=True)


class CommunityRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ReportOut(Schema):
    id = fields.Integer(required=True)
    community = fields.Nested(CommunityRef, required=True)
    category = fields.Nested(CategoryOut, required=True)
    description = fields.String(required=True)
    building = fields.String(required=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    is_public = fields.Boolean(required=True)
    status = fields.String(required=True)
    status_text = fields.String(required=True)
    mine = fields.Boolean(required=True, metadata={"description": "是否我提交的"})
    supported = fields.Boolean(required=True, metadata={"description": "我是否已附议"})
    support_count = fields.Integer(required=True)
    handler_kind = fields.String(required=True)
    handler_name = fields.String(required=True)
    referral_ref = fields.String(required=True)
    merged_into_id = fields.Integer(allow_none=True)
    reply = fields.String(required=True)
    rating = fields.String(allow_none=True)
    rework_count = fields.Integer(required=True)
    closed = fields.Boolean(required=True)
    close_reason = fields.String(allow_none=True)
    fixed = fields.Boolean(allow_none=True, metadata={"description": "问题是否确已解决（与是否关闭不同）"})
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    accepted_at = fields.DateTime(allow_none=True)
    contacted_at = fields.DateTime(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    contact_due_at = fields.DateTime(allow_none=True)
    accept_due_at = fields.DateTime(allow_none=True)
    resolve_due_at = fields.DateTime(allow_none=True)
    overdue = fields.Boolean(required=True)
    deadlines_provisional = fields.Boolean(required=True, metadata={
        "description": "期限是否为暂定：所涉年份的节假日安排未载入，仅按周末计算；"
                       "载入后自动重新计算"})
    deadline_error = fields.String(required=True, metadata={
        "description": "节假日数据缺失等导致无法计算期限时的说明（仅工作人员可见）"})
    content_status = fields.String(required=True, metadata={
        "description": "内容安全检测状态：pending / passed / risky / skipped / rejected / none"})
    allowed_actions = fields.List(fields.String(), required=True)
    photos = fields.List(fields.Nested(PhotoOut), required=True)
    timeline = fields.List(fields.Nested(EventOut))
    extensions = fields.List(fields.Nested(ExtensionOut))


ReportPage = envelope(ReportOut, "ReportPage")


class SimilarOut(Schema):
    items = fields.List(fields.Nested(ReportOut), required=True)


class BoardItem(Schema):
    id = fields.Integer(required=True)
    category = fields.String(required=True)
    building = fields.String(required=True)
    description = fields.String(required=True)
    reply = fields.String(required=True)
    rating = fields.String(allow_none=True)
    support_count = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    closed_at = fields.DateTime(required=True)
    photos = fields.List(fields.Nested(PhotoOut), required=True)


BoardPage = envelope(BoardItem, "BoardPage")


class PeriodArgs(Query):
    since = fields.Date(required=True, metadata={"description": "统计期开始（含），上海日期"})
    until = fields.Date(required=True, metadata={"description": "统计期结束（含），上海日期"})


class FiguresArgs(PeriodArgs):
    community_id = row_id(strict=False)


class FigureOut(Schema):
    name = fields.String(required=True)
    definition = fields.String(required=True)
    value = fields.Float(allow_none=True)
    numerator = fields.Float(required=True)
    denominator = fields.Integer(required=True)


class CommunityFiguresOut(Schema):
    community = fields.Nested(CommunityRef, required=True)
    reports = fields.Integer(required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Nested(FigureOut), required=True)


class FiguresOut(Schema):
    since = fields.Date(required=True)
    until = fields.Date(required=True)
    items = fields.List(fields.Nested(CommunityFiguresOut), required=True)


class CommitteeRow(Schema):
    residential_area = fields.Nested(CommunityRef, required=True)
    communities = fields.Integer(required=True)
    open = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    reworked = fields.Integer(required=True)
    pending_extensions = fields.Integer(required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Nested(FigureOut), required=True)


class OverviewOut(Schema):
    since = fields.Date(required=True)
    until = fields.Date(required=True)
    totals = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    committees = fields.List(fields.Nested(CommitteeRow), required=True)
