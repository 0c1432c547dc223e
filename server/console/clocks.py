"""The three SLA clocks of a report as a committee reads them (先行联系 / 受理 / 办结): done on
time or late, running with time left, nearly due (under a day left) or overdue. Presentation
only: the deadlines themselves are set by services/reports/sla.py."""
from dataclasses import dataclass
from datetime import timedelta

from server.models.base import utcnow

NEARLY = timedelta(hours=24)


@dataclass(frozen=True)
class Clock:
    label: str
    state: str  # done | late_done | running | nearly | overdue | none | stopped
    text: str


def _left(delta):
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} 天 {hours} 小时"
    return f"{hours} 小时" if hours else "不足 1 小时"


def _clock(label, due, done_at, stopped, now):
    if due is None:
        return Clock(label, "none", "无期限")
    if done_at is not None:
        return Clock(label, "done" if done_at <= due else "late_done",
                     "按时完成" if done_at <= due else "超期完成")
    if stopped:
        return Clock(label, "stopped", "不再计时")
    if due <= now:
        return Clock(label, "overdue", f"已超期 {_left(now - due)}")
    left = due - now
    return Clock(label, "nearly" if left <= NEARLY else "running", f"剩余 {_left(left)}")


def clocks(report, now=None):
    now = now or utcnow()
    over = report.closed_at is not None or report.status in ("rejected", "merged", "referred")
    return [
        _clock("先行联系", report.contact_due_at, report.contacted_at, over, now),
        _clock("受理", report.accept_due_at, report.decided_at, over, now),
        # After a rework the earlier resolution no longer counts: the clock runs again.
        _clock("办结", report.resolve_due_at,
               report.resolved_at if report.status in ("resolved", "closed") else None,
               over, now),
    ]


def urgency(report, now=None):
    """The worst running clock, for the inbox: overdue, nearly, running or none."""
    states = {c.state for c in clocks(report, now)}
    for state in ("overdue", "nearly", "running"):
        if state in states:
            return state
    return "none"
