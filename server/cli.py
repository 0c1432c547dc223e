"""Flask CLI commands: flask seed-demo, create-staff, import-households."""
import click
from flask import Flask, current_app

from server import cli_db, cli_outbox, cli_rq
from server.errors import APIError
from server.extensions import db
from server.models import Community


def init_app(app: Flask):
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_staff)
    app.cli.add_command(import_households)
    app.cli.add_command(load_framework)
    app.cli.add_command(recompute_scores)
    app.cli.add_command(holidays_group)
    app.cli.add_command(open311)
    cli_rq.init_app(app)
    cli_db.init_app(app)
    cli_outbox.init_app(app)


@click.command("seed-demo")
def seed_demo():
    """Load a believable Shanghai demo (idempotent) and print the staff credentials."""
    from server.services import demo

    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("演示数据只能在开发环境加载（它会创建密码公开的账号）")
    accounts = demo.seed()
    db.session.commit()
    click.echo("演示数据已就绪。工作人员账号（用户名 / 密码 / 角色 / 管辖范围）：")
    for username, password, role, scope in accounts:
        click.echo(f"  {username:<16} {password:<16} {role:<10} {scope}")
    click.echo("居民开发登录：POST /api/v1/auth/dev-login {\"openid\": \"demo-resident-1\"}")


@click.command("create-staff")
@click.option("--username", required=True)
@click.option("--password", required=True, help="at least 10 characters")
@click.option("--role", required=True, type=click.Choice(["committee", "street", "district",
                                                          "city"]))
@click.option("--scope", "scope_code", required=True, help="org unit code, e.g. XH-TP")
@click.option("--display-name", default="")
def create_staff(username, password, role, scope_code, display_name):
    """Create a staff account scoped to one org unit."""
    from server.services import staff

    try:
        account = staff.create_staff(username, password, role, scope_code, display_name)
    except APIError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"已创建工作人员 {account.username}（{role}，{scope_code}）")


@click.command("import-households")
@click.argument("community_code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_households(community_code, file):
    """Import a community's household register from a CSV or XLSX file (楼号, 单元, 室号)."""
    from server.services import households

    community = db.session.execute(
        db.select(Community).filter_by(code=community_code.upper())).scalar_one_or_none()
    if community is None:
        raise click.ClickException(f"未找到小区代码 {community_code}")
    # The console's import, all or nothing: it commits only a file without a bad row.
    report = households.import_file(community, file, write=True)
    unreadable = [reason for number, reason in report.bad_rows if number == 0]
    if unreadable:  # not a register at all: no row to point at
        raise click.ClickException(unreadable[0])
    for number, reason in report.bad_rows:
        click.echo(f"  第 {number} 行：{reason}", err=True)
    if not report.ok:
        raise click.ClickException(f"有 {len(report.bad_rows)} 行有误，未导入任何数据；"
                                   "请修改后重新导入")
    click.echo(f"导入完成：新增 {report.added} 户，已存在 {report.already_present} 户")


@click.command("load-framework")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def load_framework(file):
    """Load an evaluation framework version (测评体系) from a YAML or JSON file."""
    from server.services.scoring import framework

    try:
        loaded = framework.load_file(file)
    except APIError as exc:
        db.session.rollback()
        for reason in exc.details.get("reasons", []):
            click.echo(f"  {reason.get('where', '')} {reason['message']}", err=True)
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"已导入测评体系 {loaded.version}（{len(loaded.indicators)} 项指标）"
               + ("，示意版本" if loaded.illustrative else ""))


@click.command("recompute-scores")
@click.option("--community", "community_ids", multiple=True, type=int,
              help="community id (repeatable); all communities when omitted")
def recompute_scores(community_ids):
    """Recompute scores now, in this process (the nightly job does the same on `scoring`)."""
    from server.services.scoring import compute

    written = compute.recompute(list(community_ids) or None, reason="cli")
    click.echo(f"已重新计算，新增 {written} 个得分快照")


@click.group("holidays")
def holidays_group():
    """Public holidays and make-up working days, per year (the State Council's schedule)."""


@holidays_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def load_holidays(file):
    """Load one year's holidays from a YAML or JSON file (docs/holidays.md)."""
    from server.services import holidays

    try:
        row = holidays.load("cli", holidays.read_file(file), via="cli")
    except APIError as exc:
        db.session.rollback()
        for reason in exc.details.get("reasons", []):
            click.echo(f"  {reason['message']}", err=True)
        raise click.ClickException(exc.message) from None
    click.echo(f"已载入 {row.year} 年节假日安排（{row.version}）：放假 {len(row.holidays)} 项，"
               f"调休上班 {len(row.workdays)} 天；暂定期限将重新计算")


@holidays_group.command("list")
def list_holidays():
    """Which years have holiday data, and from where."""
    from server.services import clock, holidays

    page = holidays.years(1, 100, clock.today().year)
    words = {"loaded": "市级已载入", "package": "内置（chinese-calendar）", "missing": "未载入"}
    for item in page.items:
        row = item["row"]
        extra = f"  {row.version}，{clock.display(row.loaded_at)} 载入" if row else ""
        click.echo(f"{item['year']}  {words[item['origin']]}{extra}")


@click.group("open311")
def open311():
    """Open311 GeoReport v2: partner systems' API keys."""


@open311.command("issue-key")
@click.argument("name")
def issue_key(name):
    """Issue an API key to a partner system; the key is printed once and stored hashed."""
    from server.services.open311 import keys

    try:
        partner, key = keys.issue(name)
    except APIError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"已为合作系统“{partner.name}”发放 Open311 密钥（只显示这一次，请妥善转交）：")
    click.echo(key)
