"""Periodic jobs, as data. `flask rq scheduler` registers each with RQ's own CronScheduler
(rq.cron, RQ >= 2.5) - not rq-scheduler. Give each either `interval` (seconds, or the name of
a setting holding seconds) or `cron` (a crontab line, read in Asia/Shanghai: the scheduler
process runs with TZ=Asia/Shanghai, see server/cli_rq.py)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Periodic:
    func: str
    queue: str
    interval: int | str | None = None
    cron: str | None = None
    timeout: int = 300


PERIODIC = [
    # The safety net under the after-commit kick: rows written while Redis was down, or whose
    # kick was lost, go out on the next run.
    Periodic("server.jobs.outbox.relay", "default", interval="OUTBOX_RELAY_INTERVAL"),
    Periodic("server.jobs.content.retry_stale", "default",
             interval="CONTENT_CHECK_RETRY_INTERVAL"),
    # Reports past a working-day deadline are marked overdue and raised to the street.
    Periodic("server.jobs.reports.sla_scan", "default", interval="SLA_SCAN_INTERVAL"),
    # Resolved reports left unrated for REPORT_RATING_DAYS are closed; hourly is plenty.
    Periodic("server.jobs.reports.auto_close", "default", interval=3600),
    # Scores of every community, at night (Shanghai), when nobody waits on the scoring queue.
    Periodic("server.jobs.scoring.nightly", "scoring", cron="30 2 * * *", timeout=3600),
    # From 1 November, the city office is told daily while next year's holidays are missing.
    Periodic("server.jobs.holidays.warn_missing", "default", cron="0 9 * * *"),
    # Survey ballots rewritten in random order soon after they arrive (privacy, PostgreSQL).
    Periodic("server.jobs.surveys.mix_due", "default", interval=300, timeout=1800),
    # What is past its retention period goes (docs/privacy.md), at night (Shanghai).
    Periodic("server.jobs.retention.enforce", "default", cron="0 4 * * *", timeout=1800),
]


def resolve_interval(periodic, config):
    if isinstance(periodic.interval, str):
        return config[periodic.interval]
    return periodic.interval
