"""The load of `make bench` (locust, headless, started by bench/run.py with one user class):

- BareRead: GET / of bench/bare_app.py, the read ceiling;
- StatusRead: a resident's cached community status page;
- SurveySubmit: each request answers as the next resident of the seeded list; the two
  residents of a household are neighbours, so concurrent users race for one household and the
  loser's 409 is an expected answer, counted as "submit-409";
- Mixed: status reads, submissions and report filings at a steady pace, for the memory soak.
- Soak (`make soak`, bench/soak.py): Mixed plus the resident's own pages (me, the inbox, the
  survey), for as long as asked; submissions wrap around the residents (later ones are the
  household's expected 409), so no user stops before the end.

With BENCH_STATUS_FILE set, every answer's status is counted per request name and written
there as JSON when the run stops (0: no answer at all, a connection error).

The users read the seeded tokens and ids from the JSON file named by BENCH_LOAD_DATA.
"""
import collections
import itertools
import json
import os
import random

from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

_data = None
_next = None


def data():
    global _data, _next
    if _data is None:
        with open(os.environ["BENCH_LOAD_DATA"], encoding="utf-8") as f:
            _data = json.load(f)
        _next = itertools.count()
    return _data


_statuses = collections.Counter()


@events.request.add_listener
def _count_status(name, response=None, exception=None, **kwargs):
    if response is None and exception is None:
        return  # an event fired by a user (submit-409), not an answer
    _statuses[(name, getattr(response, "status_code", 0) or 0)] += 1


@events.test_stop.add_listener
def _write_statuses(**kwargs):
    path = os.environ.get("BENCH_STATUS_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump([{"name": name, "status": status, "count": count}
                       for (name, status), count in sorted(_statuses.items())], f)


def _auth(resident):
    return {"Authorization": f"Bearer {resident['token']}"}


class _Api(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def status(self):
        resident = random.choice(data()["residents"])
        self.client.get(f"/api/v1/communities/{resident['community_id']}/status",
                        headers=_auth(resident), name="status")

    def submit(self, from_end=False, wrap=False):
        residents = data()["residents"]
        index = next(_next)
        if wrap:
            index %= len(residents)
        elif index >= len(residents):
            raise StopUser()
        # The soak runs after SurveySubmit (which took residents from the front): it takes
        # them from the end, so that its submissions are new answers, not all 409.
        resident = residents[-1 - index if from_end else index]
        with self.client.post(f"/api/v1/surveys/{data()['survey_id']}/responses",
                              headers=_auth(resident), name="submit", catch_response=True,
                              json={"answers": data()["answers"],
                                    "answer_token": resident["answer_token"]}) as response:
            if response.status_code == 201:
                response.success()
            elif response.status_code == 409:
                response.success()
                self.environment.events.request.fire(
                    request_type="POST", name="submit-409", response_time=0,
                    response_length=0, exception=None, context={})
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    def file_report(self):
        resident = random.choice(data()["residents"])
        self.client.post("/api/v1/reports", headers=_auth(resident), name="report", json={
            "category_id": data()["category_id"], "description": "楼道堆放杂物，影响通行",
            "building": "1号楼"})


class BareRead(FastHttpUser):
    wait_time = constant(0)

    @task
    def read(self):
        self.client.get("/", name="bare")


class StatusRead(_Api):
    @task
    def read(self):
        self.status()


class SurveySubmit(_Api):
    @task
    def answer(self):
        self.submit()


class Mixed(_Api):
    # A steady pace rather than flat out: memory is measured over time, not at saturation.
    wait_time = between(0.05, 0.25)

    @task(8)
    def read(self):
        self.status()

    @task(1)
    def answer(self):
        self.submit(from_end=True)

    @task(1)
    def report(self):
        self.file_report()


class Soak(_Api):
    wait_time = between(0.05, 0.25)

    @task(6)
    def read(self):
        self.status()

    @task(2)
    def me(self):
        self.client.get("/api/v1/me", headers=_auth(random.choice(data()["residents"])),
                        name="me")

    @task(1)
    def inbox(self):
        self.client.get("/api/v1/notifications",
                        headers=_auth(random.choice(data()["residents"])), name="inbox")

    @task(1)
    def survey(self):
        self.client.get(f"/api/v1/surveys/{data()['survey_id']}",
                        headers=_auth(random.choice(data()["residents"])), name="survey")

    @task(1)
    def answer(self):
        self.submit(wrap=True)

    @task(1)
    def report(self):
        self.file_report()
