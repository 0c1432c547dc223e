"""Exports: built by a real worker on the `exports` queue, polled, downloaded by staff only."""
import csv
import io

from openpyxl import load_workbook

from server.models import Survey, SurveyExport
from server.services.surveys import export as exporting
from tests.builders import make_staff
from tests.jobs.worker import work
from tests.surveys_support import add_ballots, committee, create_survey, member

BASE = "/api/v1/surveys/{id}/exports"


def ready_survey(api, org, db):
    staff = committee(api)
    survey = db.session.get(Survey, create_survey(staff, [org.community.id]))
    add_ballots(survey, org.community, {"q1": 5, "q2": 4}, building="1", count=6,
                choices={"q3": ["yes"]})
    add_ballots(survey, org.community, {"q1": 2, "q2": 4}, building="7", count=2,
                choices={"q3": ["no"]})
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
    assert workbook.sheetnames == ["概况", "领域", "题目", "楼栋", "留言"]
    areas = list(workbook["领域"].iter_rows(values_only=True))
    s4 = next(row for row in areas if row[0] == "S4")
    assert s4[2:5] == (8, 6, 0.75)
    buildings = list(workbook["楼栋"].iter_rows(values_only=True))
    assert ("建业里", "7号楼", "<5（不公开）", "<5（不公开）") in buildings
    workbook.close()


def test_anonymous_ballots_export_as_csv_hides_small_buildings(api, org, db):
    staff, survey = ready_survey(api, org, db)
    add_ballots(survey, org.community, {"q1": 4, "q2": 4}, building="2", count=9)
    response = export_and_wait(staff, survey.id, "csv", "ballots")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    response.close()
    header, ballots = rows[1], rows[2:]
    assert header[:3] == ["序号", "小区", "楼栋"] and len(ballots) == 17
    buildings = {row[2] for row in ballots}
    # 7号楼 (2 ballots) is hidden, and so is its complement 1号楼 (6): only 2号楼 is named.
    assert buildings == {"2号楼", "（已合并）"}
    assert {row[header.index("q3 您是否参加过小区活动？")] for row in ballots} == {"参加过", "没有", ""}


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
