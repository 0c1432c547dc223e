"""Fixtures for tests that start and break real processes (see procs.py)."""
from types import SimpleNamespace

import pytest

from tests.faults.procs import Processes, RedisProcess, WeChatRecorder

# Short enough for a test to see a lease run out, long enough for a busy CI machine (two
# cores) never to see a live run's lease lapse.
LEASE_SECONDS = 10
SETTINGS = {"OUTBOX_LEASE_SECONDS": LEASE_SECONDS, "OUTBOX_RELAY_INTERVAL": 2,
            "JOB_RETRY_INTERVALS": "1", "JOB_RETRY_MAX": 3}


@pytest.fixture
def faults(make_app, tmp_path):
    """A private redis-server, the WeChat recorder, an app of the test's own pointed at both,
    and a launcher for workers, the scheduler and gunicorn; all stopped afterwards."""
    redis_server = RedisProcess(tmp_path / "redis").start()
    wechat = WeChatRecorder().start()
    app = make_app(REDIS_URL=redis_server.url, WECHAT_API_BASE=wechat.url, **{
        key: ([int(v) for v in value.split(",")] if key == "JOB_RETRY_INTERVALS" else value)
        for key, value in SETTINGS.items()})
    processes = Processes(app, redis_server.url, wechat.url, tmp_path, **SETTINGS)
    yield SimpleNamespace(redis=redis_server, wechat=wechat, app=app, processes=processes)
    processes.stop_all()
    wechat.stop()
    redis_server.stop()
