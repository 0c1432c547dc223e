"""Chinese validation messages. marshmallow speaks English by default, and its messages reach
residents as the field errors of a 422; this sets every default the API can produce, once, at
import. Messages a schema sets itself (error=...) are left alone."""
from marshmallow import Schema, fields, validate

FIELD_MESSAGES = {
    fields.Field: {"required": "此项为必填项", "null": "此项不能为空",
                   "validator_failed": "填写的内容无效"},
    fields.String: {"invalid": "应为文字", "invalid_utf8": "文字编码无效"},
    fields.Number: {"invalid": "应为数字", "too_large": "数字过大"},
    fields.Integer: {"invalid": "应为整数"},
    fields.Float: {"special": "不能为无穷大或非数字"},
    fields.Decimal: {"special": "不能为无穷大或非数字"},
    fields.Boolean: {"invalid": "应为 true 或 false"},
    fields.List: {"invalid": "应为列表"},
    fields.Tuple: {"invalid": "应为列表"},
    fields.Mapping: {"invalid": "应为对象"},
    fields.Nested: {"type": "应为对象"},
    fields.UUID: {"invalid_uuid": "编号格式无效"},
    fields.Email: {"invalid": "邮箱格式无效"},
    fields.URL: {"invalid": "网址格式无效"},
    fields.Enum: {"unknown": "只能是以下之一：{choices}"},
    fields.DateTime: {"invalid": "时间格式无效，应为 ISO 8601（如 2026-03-01T09:00:00+08:00）",
                      "invalid_awareness": "时间须带时区（如 +08:00）",
                      "format": "时间格式无效"},
    fields.Date: {"invalid": "日期格式无效，应为 YYYY-MM-DD", "format": "日期格式无效"},
    fields.Time: {"invalid": "时间格式无效", "format": "时间格式无效"},
}


def install():
    for field_class, messages in FIELD_MESSAGES.items():
        # Each class keeps its own dict; update it rather than replace it, so keys we do not
        # translate keep working.
        own = dict(field_class.__dict__.get("default_error_messages", {}))
        own.update(messages)
        field_class.default_error_messages = own
    Schema._default_error_messages = {"type": "格式无效，应为对象", "unknown": "不支持的字段"}
    validate.Length.message_min = "至少 {min} 个字符"
    validate.Length.message_max = "最多 {max} 个字符"
    validate.Length.message_all = "长度应在 {min} 到 {max} 之间"
    validate.Length.message_equal = "长度应为 {equal}"
    validate.Range.message_min = "应{min_op} {{min}}"
    validate.Range.message_max = "应{max_op} {{max}}"
    validate.Range.message_all = "应{min_op} {{min}} 且{max_op} {{max}}"
    validate.Range.message_gt = "大于"
    validate.Range.message_gte = "大于或等于"
    validate.Range.message_lt = "小于"
    validate.Range.message_lte = "小于或等于"
    validate.OneOf.default_message = "只能是以下之一：{choices}"
    validate.ContainsOnly.default_message = "包含不允许的选项，可选：{choices}"
    validate.NoneOf.default_message = "填写的内容无效"
    validate.Equal.default_message = "应为 {other}"
    validate.Regexp.default_message = "格式不正确"
    validate.URL.default_message = "网址格式无效"
    validate.Email.default_message = "邮箱格式无效"


install()
