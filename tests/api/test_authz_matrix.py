"""The authorization matrix: every operation of the OpenAPI document, called by nine callers,
answers what tests/api/authz_matrix.csv says.

The table has one row per operation (`METHOD /path/template`, as in the document) and one
column per caller:

    anonymous        no token
    resident         an approved resident of our community A (XH-TP-001)
    other_resident   an approved resident of B (XH-TP-002, same committee as A)
    committee        the committee of A's residential area (XH-TP-R01)
    other_committee  another committee of our street (XH-TP-R02)
    street           our street (XH-TP)
    other_street     another street of our district (XH-XJ)
    district         our district (XH)
    city             the city (SH)

and a last `note` column for people. Path parameters are filled with OUR objects (A's report,
survey, membership...; tests/authz_requests.py says which, and which body is sent), so for the
"other" callers they are foreign. A cell is one of:

    401 / 403 / 404 / 409 / 422 ...  exactly that status
    2xx      any success
    ok       the caller has the right but the call is refused for another reason
             (any status but 401, 403, 404 and 5xx)
    hidden   a success whose `items` do not include our object (a list in another scope)

The rules the cells follow: no token is 401; a caller of the wrong kind or role is 403 (decided
before any object is looked up, so it tells nothing about the object); the right role with a
FOREIGN object is 404, never 403, so that nobody learns what exists outside their scope; and
a list shows only what is in scope. No cell is ever a 5xx.

Each operation gets a world of its own (tests/authz_world.py). The denied callers go first and
must write nothing (every table is compared before and after); a write by a caller with the
right would spoil the next one, so each further such caller of a POST/PUT/PATCH/DELETE gets a
freshly built world (but for OWN_STATE in tests/authz_requests.py: writes to the caller's own
session, password or inbox, which spoil nobody's).

A new operation without a row fails `test_every_operation_has_a_row` with the row to add (and
its own parametrized test prints what each caller got: review it against the rules above
before pasting). A row whose operation left the document fails too.
"""
import csv
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
import responses
import sqlalchemy as sa

from server.extensions import db
from server.services import workdays
from tests import wechat_http
from tests.authz_requests import BUILDERS, OWN_STATE, WECHAT_OPENID, default, upload_files
from tests.authz_world import CALLERS, TODAY, World
from tests.conftest import _truncate_all

TABLE = Path(__file__).with_name("authz_matrix.csv")
DENIALS = {"401", "403", "404", "hidden"}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@cache
def document_operations():
    """Every `METHOD /path` of the app's OpenAPI document (a development app: dev-login is in)."""
    from server import create_app
    from tests.conftest import base_settings
    # Built at collection (the operations parametrize the test); it touches neither a database
    # nor Redis, so both are names only.
    app = create_app(base_settings("sqlite://", REDIS_URL="redis://127.0.0.1:9/0"))
    spec = app.test_client().get("/api/openapi.json").json
    return [f"{method.upper()} {path}" for path, operations in spec["paths"].items()
            for method in operations if method != "parameters"]


@cache
def table():
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines)
    rows = list(reader)
    assert reader.fieldnames[:len(CALLERS) + 1] == ["operation", *CALLERS], \
        f"{TABLE.name}: the header must be operation,{','.join(CALLERS)},note"
    twice = sorted({row["operation"] for row in rows
                    if [r["operation"] for r in rows].count(row["operation"]) > 1})
    assert not twice, f"{TABLE.name}: one row per operation; twice: {twice}"
    return {row["operation"]: {who: row[who].strip() for who in CALLERS} for row in rows}


def test_every_operation_has_a_row():
    missing = [op for op in document_operations() if op not in table()]
    assert not missing, (f"operations without a row in tests/api/{TABLE.name}; add one each, "
                         "its cells decided by the rules at the top of test_authz_matrix.py "
                         "(the operation's own test prints what each caller got):\n" +
                         "\n".join(f"{op},{','.join('?' * len(CALLERS))},<why>"
                                   for op in missing))


def test_every_row_is_an_operation():
    gone = [op for op in table() if op not in document_operations()]
    assert not gone, f"rows of tests/api/{TABLE.name} for operations no longer in the " \
                     f"OpenAPI document; delete them: {gone}"


def test_cells_use_the_vocabulary():
    bad = {(op, who, cell) for op, cells in table().items() for who, cell in cells.items()
           if not (cell in ("2xx", "ok", "hidden") or re.fullmatch(r"[1-4]\d\d", cell))}
    assert not bad


def _snapshot():
    """Every row of every table: what a denied call must leave as it was."""
    with db.engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(sa.select(t)).all()))
                for t in db.metadata.sorted_tables}


def _changed(before, after):
    return sorted(name for name in before if before[name] != after[name])


def _reset(app, database, redis_conn):
    """Start again from empty tables (and an empty Redis: rate counters, caches), as the app
    fixture does: a fresh copy of the migrated SQLite file, or truncated PostgreSQL tables."""
    db.session.remove()
    _, template = database
    if template is None:
        _truncate_all()
    else:
        db.engine.dispose()
        shutil.copy(template, app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    redis_conn.flushdb()
    workdays.forget()


def _wechat(rsps):
    wechat_http.add_token(rsps)
    wechat_http.add_code2session(rsps, openid=WECHAT_OPENID)
    wechat_http.add_phone_number(rsps)
    wechat_http.add_subscribe_send(rsps)
    wechat_http.add_msg_sec_check(rsps)
    wechat_http.add_media_check_async(rsps)


def _prepare(world, operation, who):
    """The request `who` sends: (Req, url, keyword arguments for the test client)."""
    method, path = operation.split(" ", 1)
    names = re.findall(r"{(\w+)}", path)
    builder = BUILDERS.get(operation)
    req = builder(world, who) if builder else default(world, who, method, names)
    missing = [name for name in names if name not in req.params]
    req.params.update(default(world, who, method, missing).params)
    kwargs = {"method": method, "query_string": req.query}
    if req.files:
        kwargs.update(data=upload_files(req), content_type="multipart/form-data")
    elif req.json is not None:
        kwargs["json"] = req.json
    return req, path.format(**req.params), kwargs


def _send(world, who, url, kwargs):
    client = world.as_(who)
    response = client.client.open(url, headers=client._headers(None), **kwargs)
    response.get_data()  # read a file answer whole, so it can be closed here
    response.close()
    return response


def _verdict(cell, req, response):
    """None when the answer fits the cell, else what is wrong."""
    status = response.status_code
    if status >= 500:
        return f"{status} {response.get_data(as_text=True)[:300]}"
    if status >= 400 and response.is_json and "error" not in (response.json or {}):
        return f"{status} not in the error shape"
    if cell == "2xx":
        return None if 200 <= status < 300 else str(status)
    if cell == "ok":
        return None if status not in (401, 403, 404) else str(status)
    if cell == "hidden":
        if not 200 <= status < 300:
            return str(status)
        ids = [item.get("id") for item in response.json["items"]]
        return f"our object {req.ours} is listed" if req.ours in ids else None
    return None if str(status) == cell else str(status)


def _observed(cell, req, response):
    """The cell that would describe this answer (for the failure message)."""
    status = response.status_code
    if not 200 <= status < 300:
        return str(status)
    if req.ours is not None and response.is_json and "items" in response.json:
        return "2xx" if req.ours in [i.get("id") for i in response.json["items"]] else "hidden"
    return "2xx"


@pytest.mark.parametrize("operation", document_operations())
def test_operation(operation, app, client, calendar, database, redis_conn):
    calendar(TODAY)
    if operation not in table():
        expected = {who: "2xx" for who in CALLERS}
    else:
        expected = table()[operation]
    denied = [who for who in CALLERS if expected[who] in DENIALS]
    allowed = [who for who in CALLERS if who not in denied]
    writes = operation.split(" ")[0] in WRITES and operation not in OWN_STATE
    got, wrong = {}, {}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _wechat(rsps)
        world = World(client)
        prepared = {who: _prepare(world, operation, who) for who in denied}
        before = _snapshot()
        for who, (req, url, kwargs) in prepared.items():
            got[who] = (expected[who], req, _send(world, who, url, kwargs))
        wrote = _changed(before, _snapshot())
        for n, who in enumerate(allowed):
            if n and writes:
                _reset(app, database, redis_conn)
                world = World(client)
            elif n:
                # Nine logins or uploads from one address in a second are a burst the rate
                # limits exist for (proven in their own tests); each caller starts afresh.
                redis_conn.flushdb()
            req, url, kwargs = _prepare(world, operation, who)
            got[who] = (expected[who], req, _send(world, who, url, kwargs))
    for who, (cell, req, response) in got.items():
        problem = _verdict(cell, req, response)
        if problem:
            wrong[who] = f"expected {cell}, got {problem}"
    observed = ",".join(_observed(*got[who]) for who in CALLERS)
    if operation not in table():
        pytest.fail(f"no row for {operation} in {TABLE.name}; each caller got (check it against "
                    f"the rules before using it):\n{operation},{observed},<why>")
    if wrote:
        wrong["denied callers"] = f"{denied} changed the tables {wrote}"
    assert not wrong, f"{operation}: {wrong}\nobserved: {operation},{observed}"
