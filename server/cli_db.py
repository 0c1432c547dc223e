"""`flask db-roles APP_ROLE`: the PostgreSQL role the API and workers run as.

Migrations run as the database owner; the app connects as a role that owns nothing and holds
only what its work needs: SELECT, INSERT, UPDATE, DELETE on the tables, but only SELECT and
INSERT on the append-only ones (audit_log, report_events) - plus UPDATE of report_events'
resident actor column alone, which account deletion clears - and only SELECT on
alembic_version.
It never holds TRUNCATE, and since it owns no table it cannot ALTER TABLE ... DISABLE TRIGGER
or drop anything: the audit log is out of its reach. Run it as the owner after every
`flask db upgrade` (new tables get the plain grants by default privileges; re-running fixes the
append-only ones). The role's password is read from an environment variable, never argv.
"""
import os
import re

import click
from flask import current_app
from psycopg import sql

from server.extensions import db
from server.models.base import APPEND_ONLY_TABLES

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
READ_ONLY_TABLES = ("alembic_version",)
# Columns of append-only tables that deleting a resident's account must clear (PIPL): the
# app may set these, and nothing else in those tables (server/services/privacy/erasure.py).
ERASABLE_COLUMNS = {"report_events": ("actor_resident_id",)}


def init_app(app):
    app.cli.add_command(db_roles)


def grant_statements(role, database, owner):
    """The statements, in order, as psycopg SQL objects."""
    r, d, o = sql.Identifier(role), sql.Identifier(database), sql.Identifier(owner)
    statements = [
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(r),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(r),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(d, r),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(r),
        # PostgreSQL < 15 lets everyone create tables in public: not the app.
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}")
        .format(r),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT SELECT, INSERT, "
                "UPDATE, DELETE ON TABLES TO {}").format(o, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT USAGE, SELECT ON "
                "SEQUENCES TO {}").format(o, r),
    ]
    for table in sorted(APPEND_ONLY_TABLES):
        statements.append(sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(
            sql.Identifier(table), r))
    for table, columns in sorted(ERASABLE_COLUMNS.items()):
        statements.append(sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
            sql.SQL(", ").join(sql.Identifier(c) for c in columns), sql.Identifier(table), r))
    for table in READ_ONLY_TABLES:
        statements.append(sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}").format(
            sql.Identifier(table), r))
    return statements


@click.command("db-roles")
@click.argument("app_role")
@click.option("--password-env", default="",
              help="name of an environment variable holding the role's password")
def db_roles(app_role, password_env):
    """Create (if missing) the PostgreSQL role the app runs as, and grant it only what it
    needs. Run as the database owner, after `flask db upgrade`."""
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("数据库角色只适用于 PostgreSQL；SQLite 文件的持有者可任意修改其内容")
    if not ROLE_NAME.match(app_role):
        raise click.ClickException("角色名只能包含小写字母、数字和下划线")
    password = os.environ.get(password_env, "") if password_env else ""
    if password_env and not password:
        raise click.ClickException(f"环境变量 {password_env} 为空")
    with db.engine.begin() as conn:
        owner, database = conn.exec_driver_sql(
            "SELECT current_user, current_database()").one()
        if owner == app_role:
            raise click.ClickException("应用角色不能是数据表的所有者（迁移所用的角色）")
        raw = conn.connection.driver_connection
        exists = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                      (app_role,)).first()
        if not exists:
            raw.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(app_role)))
        if password:
            raw.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(app_role), sql.Literal(password)))
        for statement in grant_statements(app_role, database, owner):
            raw.execute(statement)
    current_app.logger.info("granted the app's privileges to %s", app_role)
    click.echo(f"已为 {app_role} 授权：可读写业务表，审计日志与报告时间线只可读和追加，"
               f"无 TRUNCATE，不拥有任何表")
