"""Recorded server answers for the mini-program's page tests.

A test calls `record("name", response)` on a real response of the real app; the answer is
written to build/recordings/name.json, which jest reads (make test runs pytest first). So the
mini-program is tested against what the server really says, not against hand-written JSON.
"""
import json
from pathlib import Path

import pytest

RECORDINGS = Path(__file__).resolve().parent.parent / "build" / "recordings"


def write_recording(name, response):
    request = response.request
    RECORDINGS.mkdir(parents=True, exist_ok=True)
    entry = {
        "method": request.method,
        "path": request.path,
        "query": request.query_string.decode(),
        "status": response.status_code,
        "body": response.get_json(silent=True),
    }
    (RECORDINGS / f"{name}.json").write_text(json.dumps(entry, ensure_ascii=False, indent=1),
                                             encoding="utf-8")
    return response


@pytest.fixture
def record():
    return write_recording
