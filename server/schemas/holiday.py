from marshmallow import Schema, fields, validate

from server.schemas.common import Body, PageArgs, envelope, text


class HolidayIn(Body):
    name = text(20, metadata={"description": "节日名称，如 春节"})
    start = fields.Date(required=True, metadata={"description": "放假首日"})
    end = fields.Date(required=True, metadata={"description": "放假末日（含）"})


class HolidayYearIn(Body):
    """One year of the State Council's schedule (docs/holidays.md)."""
    year = fields.Integer(metadata={"description": "可省略；填写时须与路径中的年份一致"})
    version = text(60, metadata={"description": "文号或版本，如 国办发明电〔2026〕N号"})
    source = fields.String(validate=validate.Length(max=200),
                           metadata={"description": "通知标题"})
    holidays = fields.List(fields.Nested(HolidayIn), required=True,
                           validate=validate.Length(min=1, max=40))
    workdays = fields.List(fields.Date(), load_default=list,
                           validate=validate.Length(max=40),
                           metadata={"description": "调休上班日（周六或周日）"})


class HolidayOut(Schema):
    name = fields.String(required=True)
    start = fields.String(required=True)
    end = fields.String(required=True)


class HolidayYearOut(Schema):
    year = fields.Integer(required=True)
    origin = fields.String(required=True, metadata={
        "description": "loaded：市级载入；package：内置 chinese-calendar；missing：未载入，"
                       "该年的期限按周末暂定"})
    version = fields.String()
    source = fields.String()
    holidays = fields.List(fields.Nested(HolidayOut))
    workdays = fields.List(fields.String())
    revision = fields.Integer()
    loaded_at = fields.DateTime()
    loaded_via = fields.String()
    loaded_by = fields.String(allow_none=True)


HolidayYearPage = envelope(HolidayYearOut, "HolidayYearPage")
HolidayArgs = PageArgs
