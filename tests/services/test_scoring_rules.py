"""The framework file's rules (the regulation's rules: tests/api/test_eligibility_table.py)."""
import json
from datetime import date

import pytest

from server.errors import Conflict, Forbidden, Invalid
from server.models import AuditLog, Framework, Participation, VetoEvent
from server.services.scoring import cycle as cycles, eligibility, framework
from tests import scoring_fixtures as fx
from tests.builders import make_staff


def test_a_framework_with_bad_weights_and_an_unknown_method_gives_every_reason(app, db):
    data = json.loads(json.dumps(fx.SMALL))
    data["areas"]["S5"][0]["weight"] = 24  # sum 99
    data["areas"]["S7"][1]["method"] = "guesswork"
    with pytest.raises(Invalid) as err:
        framework.load(data)
    codes = {r["code"] for r in err.value.details["reasons"]}
    assert {"weights_not_100", "unknown_method"} <= codes
    assert db.session.execute(db.select(Framework)).first() is None


def test_load_framework_command_reads_yaml_and_json(app, db, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-framework", str(framework.DEFAULT_FILE)])
    assert result.exit_code == 0 and "示意" in result.output, result.output
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(fx.SMALL), encoding="utf-8")
    assert runner.invoke(args=["load-framework", str(path)]).exit_code == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(dict(fx.SMALL, version="BAD", areas={"S9": []})), encoding="utf-8")
    result = runner.invoke(args=["load-framework", str(bad)])
    assert result.exit_code != 0 and "S9" in result.output
    assert db.session.execute(db.select(db.func.count(Framework.id))).scalar_one() == 2


def test_a_locked_version_cannot_be_reloaded_only_replaced(app, db):
    fw = fx.load(fx.SMALL)
    fw.locked_at = fw.loaded_at
    db.session.commit()
    with pytest.raises(Conflict):
        framework.load(fx.SMALL)
    assert framework.load(dict(fx.SMALL, version="TEST-2")).version == "TEST-2"
