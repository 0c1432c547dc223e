"""Background-work commands, run through the Flask CLI so jobs share the app's settings:

    flask rq worker [QUEUES]...   work on queues (default: all), with RQ's scheduler for retries
    flask rq scheduler            enqueue the periodic jobs of server/jobs/periodic.py
    flask rq failed               list jobs parked after their last retry
    flask rq requeue JOB_ID...    put parked jobs back on their queue (or --all)
    flask rq relay                enqueue due outbox rows and reconcile lapsed ones, now
    flask dev-services            a laptop's whole back end: embedded Redis when REDIS_URL is
                                  unset, a worker, the scheduler and the API, supervised
                                  (a child that dies is restarted) and stopped together

Scheduling uses RQ's own cron (rq.cron.CronScheduler, RQ >= 2.5), not rq-scheduler. Delayed
retries need a worker started with its scheduler, which `flask rq worker` always does.
"""
import logging
import os
import signal
import subprocess
import sys
import time

import click
import redis
from flask import current_app
from flask.cli import AppGroup
from rq import SimpleWorker, Worker
from rq.cron import CronScheduler
from rq.job import Job
from rq.registry import FailedJobRegistry

from server import queues
from server.extensions import db
from server.jobs.periodic import PERIODIC, resolve_interval

log = logging.getLogger(__name__)
rq_cli = AppGroup("rq", help="RQ workers, scheduler and failed jobs.")
SCHEDULER_LOCK = "civic:cron-scheduler:lock"
SCHEDULER_LOCK_TTL = 180


def init_app(app):
    app.cli.add_command(rq_cli)
    app.cli.add_command(dev_services)


class _Supervised:
    """Remembers whether the worker was asked to stop (SIGTERM, SIGINT): RQ's work loop also
    returns when it gives up on a Redis error, and only the first means "exit"."""

    stop_was_requested = False

    def request_stop(self, signum, frame):
        self.stop_was_requested = True
        super().request_stop(signum, frame)


class AppWorker(_Supervised, Worker):
    """RQ's forking worker; each work horse drops the database connections it inherited,
    which belong to the parent process."""

    def main_work_horse(self, job, queue):
        db.engine.dispose(close=False)
        super().main_work_horse(job, queue)


class AppSimpleWorker(_Supervised, SimpleWorker):
    """RQ's worker that runs jobs in its own process."""


def backoff(first=1, cap=30):
    """Seconds to wait before each reconnection: 1, 2, 4 ... up to `cap`."""
    delay = first
    while True:
        yield delay
        delay = min(cap, delay * 2)


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
    """Work on QUEUES (notify, scoring, exports, default; all when none given). A Redis that
    goes away is waited for with backoff, never a reason to exit; the outbox is reconciled
    each time the worker (re)starts, so jobs Redis lost are enqueued again."""
    broker = queues.broker()
    worker_class = AppSimpleWorker if simple else AppWorker
    delays = backoff()
    while True:
        _reconcile()
        try:
            connection = broker.worker_connection()
            rq_worker = worker_class(list(queue_names or queues.QUEUE_NAMES),
                                     connection=connection, worker_ttl=queues.WORKER_TTL)
            worked = rq_worker.work(burst=burst, with_scheduler=True,
                                    logging_level=current_app.config["LOG_LEVEL"])
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            if burst:
                raise
            wait = next(delays)
            log.warning("Worker: Redis unavailable (%s); reconnecting in %ss", exc, wait)
            time.sleep(wait)
            continue
        if burst or rq_worker.stop_was_requested:
            return
        # RQ's loop quit on its own (it does on a Redis timeout): start again, after a pause.
        wait = 1 if worked else next(delays)
        log.warning("Worker loop ended without a stop request; restarting in %ss", wait)
        time.sleep(wait)


def _reconcile():
    from server.services import outbox

    try:
        moved = outbox.relay()
        if moved:
            log.info("Outbox reconciled at worker start: %s row(s) enqueued", moved)
    except Exception as exc:  # noqa: BLE001 - the periodic relay will catch up
        db.session.rollback()
        log.warning("Could not reconcile the outbox at worker start: %s", exc)
    finally:
        db.session.remove()


@rq_cli.command("scheduler")
def scheduler():
    """Enqueue the periodic jobs (server/jobs/periodic.py) when they are due; reconnect to
    Redis with backoff when it goes away."""
    # Crontab lines are read in the business calendar's zone.
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    delays = backoff()
    while True:
        try:
            build_scheduler(current_app, queues.broker().worker_connection()).start()
            return  # stopped on request (SIGTERM, SIGINT)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            wait = next(delays)
            log.warning("Scheduler: Redis unavailable (%s); reconnecting in %ss", exc, wait)
            time.sleep(wait)


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
    """Enqueue due outbox rows and take back lapsed ones, once, now."""
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
    supervisor = Supervisor([(command, env) for command in commands])
    try:
        supervisor.run()
    except KeyboardInterrupt:
        pass
    finally:
        supervisor.stop()
        broker.close()


class Supervisor:
    """Keeps child processes running: one that exits is started again after a backoff (reset
    once it has stayed up a minute), as systemd's Restart=always does in production."""

    def __init__(self, commands, poll=0.5, stable_after=60):
        self.commands = commands
        self.poll = poll
        self.stable_after = stable_after
        self.children = {}
        self.restarts = 0

    def run(self, until=lambda: False):
        """Supervise until interrupted, or until `until()` says so."""
        for index in range(len(self.commands)):
            self._start(index)
        delays = {index: backoff() for index in self.children}
        due = {}
        while not until():
            time.sleep(self.poll)
            now = time.monotonic()
            for index, (child, started) in list(self.children.items()):
                if child.poll() is None:
                    if now - started > self.stable_after:
                        delays[index] = backoff()
                    continue
                if index not in due:
                    wait = next(delays[index])
                    click.echo(f"进程已退出（{child.returncode}），{wait} 秒后重启："
                               f"{' '.join(self.commands[index][0][-2:])}", err=True)
                    due[index] = now + wait
                elif now >= due[index]:
                    del due[index]
                    self._start(index)
                    self.restarts += 1

    def _start(self, index):
        command, env = self.commands[index]
        self.children[index] = (subprocess.Popen(command, env=env), time.monotonic())

    def stop(self):
        for child, _ in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child, _ in self.children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
