"""Background-work commands, run through the Flask CLI so jobs share the app's settings:

    flask rq worker [QUEUES]...   work on queues (default: all), with RQ's scheduler for retries
    flask rq scheduler            enqueue the periodic jobs of server/jobs/periodic.py
    flask rq failed               list jobs parked after their last retry
    flask rq requeue JOB_ID...    put parked jobs back on their queue (or --all)
    flask rq relay                move unsent outbox rows to RQ once, now
    flask dev-services            a laptop's whole back end: embedded Redis when REDIS_URL is
                                  unset, a worker, the scheduler and the API, stopped together

Scheduling uses RQ's own cron (rq.cron.CronScheduler, RQ >= 2.5), not rq-scheduler. Delayed
retries need a worker started with its scheduler, which `flask rq worker` always does.
"""
import os
import signal
import subprocess
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup
from rq import SimpleWorker, Worker
from rq.cron import CronScheduler
from rq.job import Job
from rq.registry import FailedJobRegistry

from server import queues
from server.extensions import db
from server.jobs.periodic import PERIODIC, resolve_interval

rq_cli = AppGroup("rq", help="RQ workers, scheduler and failed jobs.")
SCHEDULER_LOCK = "civic:cron-scheduler:lock"
SCHEDULER_LOCK_TTL = 180


def init_app(app):
    app.cli.add_command(rq_cli)
    app.cli.add_command(dev_services)


class AppWorker(Worker):
    """RQ's forking worker; each work horse drops the database connections it inherited,
    which belong to the parent process."""

    def main_work_horse(self, job, queue):
        db.engine.dispose(close=False)
        super().main_work_horse(job, queue)


class SingleCronScheduler(CronScheduler):
    """Only the scheduler holding a Redis lock enqueues, so running two by mistake (or one
    per host for availability) does not run every periodic job twice."""

    def enqueue_jobs(self):
        if not self._hold_lock():
            return []
        return super().enqueue_jobs()

    def _hold_lock(self):
        conn = self.connection
        if conn.set(SCHEDULER_LOCK, self.name, nx=True, ex=SCHEDULER_LOCK_TTL):
            return True
        if (conn.get(SCHEDULER_LOCK) or b"").decode() == self.name:
            conn.expire(SCHEDULER_LOCK, SCHEDULER_LOCK_TTL)
            return True
        return False


def build_scheduler(app, connection):
    scheduler = SingleCronScheduler(connection=connection)
    for periodic in PERIODIC:
        scheduler.register(_import(periodic.func), periodic.queue, job_timeout=periodic.timeout,
                           interval=resolve_interval(periodic, app.config), cron=periodic.cron)
    return scheduler


def _import(path):
    module, _, name = path.rpartition(".")
    return getattr(__import__(module, fromlist=[name]), name)


@rq_cli.command("worker")
@click.argument("queue_names", nargs=-1, type=click.Choice(queues.QUEUE_NAMES))
@click.option("--burst", is_flag=True, help="Quit when the queues are empty.")
@click.option("--simple", is_flag=True, help="Run jobs in this process (no fork).")
def worker(queue_names, burst, simple):
    """Work on QUEUES (notify, scoring, exports, default; all when none given)."""
    broker = queues.broker()
    worker_class = SimpleWorker if simple else AppWorker
    rq_worker = worker_class(broker.queues(queue_names or None), connection=broker.connection)
    rq_worker.work(burst=burst, with_scheduler=True,
                   logging_level=current_app.config["LOG_LEVEL"])


@rq_cli.command("scheduler")
def scheduler():
    """Enqueue the periodic jobs (server/jobs/periodic.py) when they are due."""
    # Crontab lines are read in the business calendar's zone.
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    build_scheduler(current_app, queues.broker().connection).start()


@rq_cli.command("failed")
@click.option("--queue", "queue_names", multiple=True, type=click.Choice(queues.QUEUE_NAMES))
def failed(queue_names):
    """List the jobs that failed after their last retry."""
    broker = queues.broker()
    found = 0
    for queue in broker.queues(queue_names or None):
        registry = FailedJobRegistry(queue=queue)
        for job in Job.fetch_many(registry.get_job_ids(), connection=broker.connection):
            if job is None:
                continue
            found += 1
            result = job.latest_result()
            error = (result.exc_string or "").strip().splitlines()[-1:] if result else []
            click.echo(f"{job.id}\t{queue.name}\t{job.func_name}\t"
                       f"{job.ended_at or ''}\t{error[0] if error else ''}")
    if not found:
        click.echo("没有失败的任务")


@rq_cli.command("requeue")
@click.argument("job_ids", nargs=-1)
@click.option("--all", "requeue_all", is_flag=True, help="Requeue every failed job.")
def requeue(job_ids, requeue_all):
    """Put failed jobs back on their queues."""
    if not job_ids and not requeue_all:
        raise click.UsageError("give JOB_IDS or --all")
    count = 0
    for queue in queues.broker().queues():
        registry = FailedJobRegistry(queue=queue)
        for job_id in registry.get_job_ids():
            if requeue_all or job_id in job_ids:
                registry.requeue(job_id)
                count += 1
    click.echo(f"已重新排队 {count} 个任务")


@rq_cli.command("relay")
def relay():
    """Move unsent outbox rows to their queues once, now."""
    from server.services import outbox

    click.echo(f"已转发 {outbox.relay()} 条待办，剩余 {outbox.unsent_count()} 条")


@click.command("dev-services")
@click.option("--api/--no-api", default=True, help="Also run the API (flask run --debug).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def dev_services(api, host, port):
    """Run worker, scheduler and (by default) the API together, on the embedded Redis when
    REDIS_URL is unset; Ctrl-C stops them all and the embedded Redis."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("dev-services 仅用于开发环境；生产环境请分别运行各进程")
    broker = queues.broker()
    env = dict(os.environ, REDIS_URL=broker.url)
    base = [sys.executable, "-m", "flask", "--app", "server.app:create_app"]
    commands = [base + ["rq", "worker"], base + ["rq", "scheduler"]]
    if api:
        commands.append(base + ["run", "--debug", "--host", host, "--port", str(port)])
    click.echo(f"Redis: {env['REDIS_URL']}")
    children = [subprocess.Popen(command, env=env) for command in commands]
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        broker.close()
