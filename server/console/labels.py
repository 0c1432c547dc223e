"""Words the console shows for codes (statuses, actions, roles). Status words come from the
services where they already exist, so a resident and a committee read the same word."""
from zoneinfo import ZoneInfo

from server.services.reports.timeline import STATUS_WORDS

SHANGHAI = ZoneInfo("Asia/Shanghai")

REPORT_STATUS = dict(STATUS_WORDS, submitted="待受理")
ROLES = {"committee": "居委会", "street": "街道", "district": "区", "city": "市"}
REPORT_ACTIONS = {
    "submit": "提交反映", "accept": "受理", "reject": "不予受理", "merge": "合并",
    "contact": "已先行联系", "assign": "指派处理", "refer": "转 12345", "resolve": "办结",
    "request_extension": "申请延期", "approve_extension": "同意延期",
    "reject_extension": "不同意延期", "confirm": "居民确认解决", "rework": "居民不满意，返工",
    "close_dissatisfied": "居民不满意，关闭", "auto_close": "自动办结", "escalate": "超期督办",
}
HANDLER_KINDS = {"committee_member": "居委会成员", "property": "物业", "owners_committee": "业委会",
                 "hotline_12345": "12345 热线"}
ACTOR_KINDS = {"resident": "居民", "system": "系统"}


def local(moment, fmt="%Y-%m-%d %H:%M"):
    """A stored UTC instant as Shanghai wall time."""
    return moment.astimezone(SHANGHAI).strftime(fmt) if moment is not None else ""
