"""`flask outbox`: the operator's view of background work, and the two things an operator
may do to a row (both written to the audit log):

    flask outbox status                 rows by state, age of the oldest unfinished row
    flask outbox list [--state failed]  the latest rows, with attempts and last error
    flask outbox retry ID --reason ...  run a failed (or stuck) row again, with fresh attempts
    flask outbox abandon ID --reason .. give up on a row: failed, never run again
"""
import click
from flask.cli import AppGroup

from server.errors import APIError
from server.extensions import db
from server.models.outbox import OUTBOX_STATES
from server.services import outbox

outbox_cli = AppGroup("outbox", help="The outbox: backlog by state, retry or abandon a row.")

STATE_LABELS = {"pending": "待发送", "enqueued": "已排队", "running": "执行中", "done": "已完成",
                "failed": "已失败"}


def init_app(app):
    app.cli.add_command(outbox_cli)


@outbox_cli.command("status")
def status():
    """Rows by state and the age of the oldest unfinished row."""
    for state, count in outbox.counts_by_state().items():
        click.echo(f"{state:<9} {STATE_LABELS[state]}  {count}")
    click.echo(f"最早未完成的待办已等待 {outbox.oldest_pending_age()} 秒")


@outbox_cli.command("list")
@click.option("--state", type=click.Choice(OUTBOX_STATES))
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
def list_rows(state, limit):
    """The latest rows (newest first), optionally of one state."""
    rows = outbox.list_rows(state, limit)
    for row in rows:
        click.echo(f"{row.id}\t{row.state}\t{row.kind}\t{row.attempts}\t"
                   f"{row.created_at:%Y-%m-%d %H:%M:%S}\t{row.last_error}")
    if not rows:
        click.echo("没有符合条件的待办")


@outbox_cli.command("retry")
@click.argument("row_id", type=int)
@click.option("--reason", required=True, help="why it is retried (kept in the audit log)")
def retry(row_id, reason):
    """Run row ROW_ID again (failed, or stuck), with a fresh budget of attempts."""
    _act(outbox.retry, row_id, reason, "已重新排入待办")


@outbox_cli.command("abandon")
@click.argument("row_id", type=int)
@click.option("--reason", required=True, help="why it is given up (kept in the audit log)")
def abandon(row_id, reason):
    """Give up on row ROW_ID: it is marked failed and never run again."""
    _act(outbox.abandon, row_id, reason, "已放弃该待办")


def _act(action, row_id, reason, done):
    if not reason.strip():
        raise click.UsageError("--reason 不能为空")
    try:
        row = action(row_id, "cli", reason.strip())
    except APIError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"{done}：#{row.id}（{row.kind}，状态 {row.state}）")
