"""The systemd units in config/systemd run the commands this code base has, restart what
dies, and cover every queue."""
import configparser
import shlex
from pathlib import Path

from server import queues

UNITS = Path(__file__).resolve().parent.parent / "config" / "systemd"


def unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def command(name):
    return shlex.split(unit(name)["Service"]["ExecStart"])


def test_every_service_restarts_and_reads_the_environment_file():
    for name in ("civic-api.service", "civic-worker@.service", "civic-scheduler.service"):
        service = unit(name)["Service"]
        assert service["Restart"] == "always", name
        assert service["EnvironmentFile"] == "/etc/civic/civic.env", name


def test_the_units_run_real_commands(app):
    cli = app.cli
    assert command("civic-api.service")[1:] == ["-c", "config/gunicorn.conf.py",
                                                "server:create_app()"]
    assert command("civic-worker@.service")[1:] == ["rq", "worker", "%i"]
    assert command("civic-scheduler.service")[1:] == ["rq", "scheduler"]
    rq = cli.get_command(None, "rq")
    assert {"worker", "scheduler"} <= set(rq.commands)


def test_the_target_starts_a_worker_for_every_queue():
    wants = unit("civic.target")["Unit"]["Wants"].split()
    assert {f"civic-worker@{name}.service" for name in queues.QUEUE_NAMES} <= set(wants)
    assert {"civic-api.service", "civic-scheduler.service"} <= set(wants)
