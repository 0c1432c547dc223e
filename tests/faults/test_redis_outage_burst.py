"""Redis killed in the middle of a burst of residents' writes, under gunicorn, with a real
worker and scheduler running: every request still succeeds, and once Redis is back (empty:
no persistence) every outbox row is done and every effect reached WeChat exactly once."""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed

from server.extensions import db
from server.models import Membership, Notification, OutboxMessage
from tests.builders import ApiClient, make_member, make_staff
from tests.conftest import TEMPLATES
from tests.faults.gunicorn_api import is_json, start_api
from tests.faults.procs import SUBSCRIBE_PATH, wait_until
from tests.reports_helpers import load_categories
from tests.surveys_support import answers, create_survey, member

WAIT = 180  # seconds: generous for two busy cores; leases are 10 s, the relay runs every 2 s
RESIDENTS = 8  # each files a report and answers the survey
APPLICANTS = 6  # each has an application the committee approves
KILL_AFTER, RESTART_AFTER = 6, 14  # answers received before Redis is killed / started again


def fresh(model):
    db.session.rollback()  # a new snapshot: gunicorn and the worker commit in other processes
    return db.session.execute(db.select(model)).scalars().all()


def everything_settled():
    rows = fresh(OutboxMessage)
    notes = fresh(Notification)
    return (rows and all(row.state == "done" for row in rows)
            and all(note.delivery not in ("pending", "sending") for note in notes))


def test_redis_killed_mid_burst_every_write_succeeds_and_each_effect_happens_once(faults, org):
    in_process = ApiClient(faults.app.test_client())
    committee_staff = make_staff("committee", "XH-TP-R01")
    survey_id = create_survey(in_process.as_staff(committee_staff), [org.community.id],
                              min_duration_seconds=0)
    category = load_categories()["clutter"].id
    residents = [f"resident-{n}" for n in range(RESIDENTS)]
    tokens = {openid: member(in_process, org.community, openid, room=str(101 + n)).token
              for n, openid in enumerate(residents)}
    applicants = [f"applicant-{n}" for n in range(APPLICANTS)]
    for n, openid in enumerate(applicants):
        make_member(org.community, openid=openid, room=str(201 + n), status="pending")
    applications = [m.id for m in fresh(Membership) if m.status == "pending"]

    processes = faults.processes
    api, server = start_api(faults)
    worker = processes.worker("notify", "scoring", "exports", "default")
    scheduler = processes.scheduler()
    committee = api.staff(committee_staff.username)
    read = {openid: api.call("GET", f"/api/v1/surveys/{survey_id}", tokens[openid]).json()
            ["answer_token"] for openid in residents}

    texts = []  # every text WeChat must check exactly once

    def report(n):
        text = f"{n}号楼道堆放杂物，请处理"
        texts.append(text)
        return api.call("POST", "/api/v1/reports", tokens[residents[n]],
                        headers={"Idempotency-Key": f"report-{n}"},
                        json={"category_id": category, "description": text,
                              "building": "1号楼", "photo_ids": []})

    def respond(n):
        comment = f"希望多组织{n}次垃圾分类宣传"
        texts.append(comment)
        return api.call("POST", f"/api/v1/surveys/{survey_id}/responses", tokens[residents[n]],
                        json={"answers": answers(q6=comment), "answer_token": read[residents[n]]})

    def approve(n):
        return api.call("POST", f"/api/v1/memberships/{applications[n]}/approve", committee)

    writes = [(kind, n) for n in range(RESIDENTS) for kind in (report, respond)]
    writes += [(approve, n) for n in range(APPLICANTS)]
    writes.sort(key=lambda write: write[1])  # the three kinds interleaved
    redis_down = threading.Event()

    def send(write):
        kind, n = write
        during_outage = redis_down.is_set()
        return kind.__name__, during_outage, kind(n)

    results = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in as_completed([pool.submit(send, write) for write in writes]):
            results.append(future.result())
            if len(results) == KILL_AFTER:
                faults.redis.proc.kill()  # SIGKILL: gone mid-burst, requests in flight
                faults.redis.proc.wait(timeout=10)
                redis_down.set()
            elif len(results) == RESTART_AFTER:
                waiting = sum(row.state in ("pending", "enqueued")
                              for row in fresh(OutboxMessage))
                faults.redis.start()  # back, empty: every queued job is gone
                redis_down.clear()

    outage = [name for name, during_outage, _ in results if during_outage]
    assert len(outage) >= 4, "the outage should span several writes"
    assert waiting > 0, "no work was left waiting for Redis: the test broke nothing"
    failed = [(name, r.status_code, r.text[:200]) for name, _, r in results
              if r.status_code not in (200, 201) or not is_json(r)]
    assert failed == []
    assert Counter(name for name, _, _ in results) == {
        "report": RESIDENTS, "respond": RESIDENTS, "approve": APPLICANTS}

    wait_until(everything_settled, WAIT, "every outbox row to be done",
               logs=(worker, scheduler, server))
    # Each promised effect happened exactly once at WeChat: every text checked once...
    checked = Counter(body["content"] for body in faults.wechat.calls_to("/wxa/msg_sec_check"))
    assert checked == Counter(texts) and len(texts) == 2 * RESIDENTS
    # ...and every message to a resident (the approvals, the survey's announcement) sent once.
    notes = [note for note in fresh(Notification) if note.resident_id is not None]
    assert {note.delivery for note in notes} == {"sent"}
    sent = Counter((body["touser"], body["template_id"])
                   for body in faults.wechat.calls_to(SUBSCRIBE_PATH))
    assert sent == Counter((note.resident.openid, TEMPLATES[note.kind]) for note in notes)
    assert Counter(template for _, template in sent.elements())[
        TEMPLATES["membership_decided"]] == APPLICANTS
    assert worker.alive() and scheduler.alive() and server.alive()
