"""Exports: built by a real worker on the `exports` queue, polled, downloaded by staff only."""
import csv
import io
from collections import Counter

import pytest

from openpyxl import load_workbook

from server.models import Survey, SurveyExport
from server.services.surveys import export as exporting
from server.services.surveys import microdata
from tests.builders import make_staff
from tests.jobs.worker import work
from tests.surveys_support import add_ballots, committee, create_survey, member

BASE = "/api/v1/surveys/{id}/exports"


def ready_survey(api, org, db):
    staff = committee(api)
    survey = db.session.get(Survey, create_survey(staff, [org.community.id]))
    add_ballots(survey, org.community, {"q1": 5, "q2": 4}, count=6, choices={"q3": ["yes"]})
    add_ballots(survey, org.community, {"q1": 2, "q2": 4}, count=2, choices={"q3": ["no"]})
    return staff, survey


def export_and_wait(staff, survey_id, fmt, content):
    """Start an export, let the worker build it, poll it; the caller closes the download."""
    started = staff.post(BASE.format(id=survey_id), json={"format": fmt, "content": content})
    assert started.status_code == 202 and started.json["status"] == "queued"
    work()
    polled = staff.get(f"{BASE.format(id=survey_id)}/{started.json['id']}")
    assert polled.status_code == 200 and polled.json["status"] == "done", polled.json
    assert polled.json["progress"] == 100
    return staff.get(f"{BASE.format(id=survey_id)}/{started.json['id']}/file")


def test_results_export_as_xlsx(api, org, db):
    staff, survey = ready_survey(api, org, db)
    response = export_and_wait(staff, survey.id, "xlsx", "results")
    assert response.status_code == 200
    assert response.mimetype == exporting.MEDIA_TYPES["xlsx"]
    workbook = load_workbook(io.BytesIO(response.data), read_only=True)
    response.close()
    assert workbook.sheetnames == ["概况", "领域", "题目", "小区", "留言"]
    areas = list(workbook["领域"].iter_rows(values_only=True))
    s4 = next(row for row in areas if row[0] == "S4")
    assert s4[2:5] == (8, 6, 0.75)
    s1 = next(row for row in areas if row[0] == "S1")  # nobody answered q4: nothing shown
    assert all(value is None for value in s1[2:5])
    communities = list(workbook["小区"].iter_rows(values_only=True))
    assert ("建业里", 8, 0.875) in communities  # q1 and q2: 14 of 16 satisfied
    workbook.close()


def test_committees_get_no_record_level_export(api, org, db):
    staff, survey = ready_survey(api, org, db)
    refused = staff.post(BASE.format(id=survey.id), json={"format": "csv", "content": "ballots"})
    assert refused.status_code == 403 and refused.json["error"] == "microdata_city_only"
    street = api.as_staff(make_staff("street", "XH-TP"))
    assert street.post(BASE.format(id=survey.id),
                       json={"format": "csv", "content": "ballots"}).status_code == 403
    assert db.session.execute(db.select(db.func.count()).select_from(SurveyExport)
                              ).scalar_one() == 0


def test_the_city_gets_k_anonymous_microdata(api, org, db):
    _, survey = ready_survey(api, org, db)
    add_ballots(survey, org.sibling, {"q1": 1, "q2": 1}, count=2, choices={"q3": ["no"]})
    survey.communities = survey.communities + [org.sibling]
    db.session.commit()
    city = api.as_staff(make_staff("city", "SH"))
    response = export_and_wait(city, survey.id, "csv", "ballots")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    response.close()
    header, ballots = rows[1], rows[2:]
    assert header[:2] == ["小区", "q3 您是否参加过小区活动？"]
    groups = Counter(tuple(row[:3]) for row in ballots)
    assert min(groups.values()) >= 5  # community x each choice answer: never fewer than 5
    # The six 参加过 of 建业里 stay as they are; the two 没有 there and the sibling's two are
    # generalised until they are one group of four... too few: they are left out.
    assert groups[("建业里", "参加过", "")] == 6 and len(ballots) == 6


def test_microdata_is_checked_before_it_is_written():
    table = [["A", "x", "1"]] * 5 + [["A", "y", "2"]] * 2 + [["B", "y", "3"]] * 3
    table = [list(row) for row in table]
    out = microdata.anonymise(table, 2, 5)
    microdata.check(out, 2, 5)
    assert Counter(tuple(r[:2]) for r in out) == {("A", "x"): 5, ("*", "*"): 5}
    with pytest.raises(microdata.NotAnonymous):
        microdata.check([["A", "x"]] * 4, 2, 5)


def test_exports_are_for_their_requesting_staff_only(api, org, db):
    staff, survey = ready_survey(api, org, db)
    started = staff.post(BASE.format(id=survey.id), json={"format": "csv"})
    path = f"{BASE.format(id=survey.id)}/{started.json['id']}"
    not_ready = staff.get(f"{path}/file")
    assert not_ready.status_code == 409 and not_ready.json["error"] == "export_not_ready"
    work()
    street = api.as_staff(make_staff("street", "XH-TP"))
    assert street.get(path).status_code == 404 and street.get(f"{path}/file").status_code == 404
    resident = member(api, org.community, "m1")
    assert resident.get(f"{path}/file").status_code == 403
    assert resident.post(BASE.format(id=survey.id), json={"format": "csv"}).status_code == 403
    far = api.as_staff(make_staff("district", "JA"))
    assert far.post(BASE.format(id=survey.id), json={"format": "csv"}).status_code == 404


def test_bad_export_requests_are_422_and_write_nothing(api, org, db):
    staff, survey = ready_survey(api, org, db)
    for body in ({"format": "pdf"}, {"format": "csv", "content": "people"}, {}):
        assert staff.post(BASE.format(id=survey.id), json=body).status_code == 422
    assert db.session.execute(db.select(db.func.count()).select_from(SurveyExport)
                              ).scalar_one() == 0


def test_running_a_finished_export_again_changes_nothing(api, org, db):
    staff, survey = ready_survey(api, org, db)
    export_and_wait(staff, survey.id, "csv", "results").close()
    export = db.session.execute(db.select(SurveyExport)).scalar_one()
    finished = export.finished_at
    assert exporting.run(export.id) == "done"
    db.session.refresh(export)
    assert export.finished_at == finished
