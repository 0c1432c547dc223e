"""flask seed-demo and flask create-staff."""
from server.models import Community, Household, OrgUnit, Staff


def count(db, model, **filters):
    query = db.select(db.func.count()).select_from(model).filter_by(**filters)
    return db.session.execute(query).scalar_one()


def test_seed_demo_builds_a_believable_shanghai_and_is_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "city-admin" in first.output and "demo-pass-2026" in first.output
    snapshot = (count(db, Community), count(db, Household), count(db, Staff))
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert (count(db, Community), count(db, Household), count(db, Staff)) == snapshot
    assert count(db, OrgUnit, level="district") == 2
    kinds = {u.kind for u in db.session.execute(
        db.select(OrgUnit).filter_by(level="street")).scalars()}
    assert len(kinds) >= 2
    assert 8 <= snapshot[0] <= 12
    # Every community's household count is its register.
    for community in db.session.execute(db.select(Community)).scalars():
        assert community.households == count(db, Household, community_id=community.id) > 0
        assert community.buildings


def test_seed_demo_refuses_production(app):
    app.config["APP_ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "开发环境" in result.output


def test_create_staff_then_log_in(app, client, org):
    result = app.test_cli_runner().invoke(args=[
        "create-staff", "--username", "wang", "--password", "long-enough-pw",
        "--role", "street", "--scope", "XH-TP"])
    assert result.exit_code == 0, result.output
    response = client.post("/api/v1/auth/staff-login",
                           json={"username": "wang", "password": "long-enough-pw"})
    assert response.status_code == 200


def test_create_staff_checks_role_against_scope_level(app, db, org):
    result = app.test_cli_runner().invoke(args=[
        "create-staff", "--username", "wang", "--password", "long-enough-pw",
        "--role", "committee", "--scope", "XH-TP"])
    assert result.exit_code != 0 and "residential_area" in result.output
    assert count(db, Staff) == 0


def test_create_staff_refuses_short_password_and_duplicate_name(app, db, org):
    runner = app.test_cli_runner()
    args = ["create-staff", "--username", "wang", "--role", "city", "--scope", "SH"]
    assert "至少" in runner.invoke(args=[*args, "--password", "short"]).output
    assert runner.invoke(args=[*args, "--password", "long-enough-pw"]).exit_code == 0
    assert "已存在" in runner.invoke(args=[*args, "--password", "long-enough-pw"]).output
    assert count(db, Staff) == 1
