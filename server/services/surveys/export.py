"""Exports of a survey's results, or (city office only) k-anonymous microdata, as XLSX or
CSV, built by a job.

Staff ask (`request_export`), a job on the `exports` queue builds the file (`run`) and records
its progress, the requester polls and downloads. A results export is the results its
requester may see, under the same disclosure rule (results.py). Record-level rows go to the
city office only, k-anonymous (microdata.py).
"""
import csv
import logging
from pathlib import Path

from flask import current_app
from openpyxl import Workbook

from server.auth import Actor
from server.errors import Conflict, Forbidden, NotFound
from server.extensions import db
from server.models import Community, SurveyExport
from server.models.base import utcnow
from server.services import audit, outbox
from server.services.surveys import lifecycle, microdata, results

log = logging.getLogger(__name__)
EXPORT_KIND = "survey.export"
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "csv": "text/csv"}


def request_export(actor, survey_id, fmt, content):
    survey = lifecycle.get_for(actor, survey_id)
    if content == "ballots" and actor.staff.role != "city":
        # A row per ballot of a small community is that household's answers.
        raise Forbidden("逐份答卷数据只向市文明办提供（已做匿名化处理）", slug="microdata_city_only")
    export = SurveyExport(survey_id=survey.id, requested_by_id=actor.staff.id, format=fmt,
                          content=content, status="queued")
    db.session.add(export)
    db.session.flush()
    audit.record(actor, "survey.export", export, None, {"format": fmt, "content": content})
    outbox.add(EXPORT_KIND, {"export_id": export.id}, dedupe_key=f"survey-export-{export.id}")
    db.session.commit()
    return export


def get_for(actor, survey_id, export_id):
    lifecycle.get_for(actor, survey_id)
    export = db.session.get(SurveyExport, export_id)
    # Only its requester sees an export: it holds what their scope allows, not someone else's.
    if export is None or export.survey_id != survey_id or \
            export.requested_by_id != actor.staff.id:
        raise NotFound("未找到该导出任务", slug="export_not_found")
    return export


def file_for(actor, survey_id, export_id):
    export = get_for(actor, survey_id, export_id)
    if export.status != "done":
        raise Conflict("导出尚未完成", slug="export_not_ready", details={"status": export.status})
    return export_dir() / export.file_name, download_name(export), MEDIA_TYPES[export.format]


def export_dir():
    configured = current_app.config.get("EXPORT_DIR")
    return Path(configured) if configured else Path(current_app.config["UPLOAD_DIR"]).parent / \
        "exports"


def download_name(export):
    kind = "结果" if export.content == "results" else "匿名答卷"
    return f"问卷{export.survey_id}-{kind}.{export.format}"


# --- the job's side -------------------------------------------------------------------------

def run(export_id):
    """Build the file. Idempotent: a finished export is left alone."""
    export = db.session.get(SurveyExport, export_id)
    if export is None or export.status in ("done", "failed"):
        return export.status if export else None
    _progress(export, 0, status="running")
    try:
        _build(export)
    except Exception as exc:  # the caller polls: it must learn that the export failed
        db.session.rollback()
        log.exception("Export %s failed", export_id)
        export = db.session.get(SurveyExport, export_id)
        export.status, export.error = "failed", f"{exc.__class__.__name__}: {exc}"[:300]
        export.finished_at = utcnow()
        db.session.commit()
        return export.status
    export.status, export.progress, export.finished_at = "done", 100, utcnow()
    db.session.commit()
    return export.status


def _progress(export, percent, status=None):
    export.progress = max(0, min(99, int(percent)))
    if status:
        export.status = status
    db.session.commit()


def _build(export):
    survey = export.survey
    actor = Actor(staff=export.requested_by)
    community_ids = results.visible_communities(actor, survey)
    computed = results.compute(survey, community_ids, detailed=True)
    _progress(export, 10)
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    export.file_name = f"survey-{survey.id}-export-{export.id}.{export.format}"
    if export.content == "results":
        tables = _result_tables(computed)
    else:
        names = dict(db.session.execute(db.select(Community.id, Community.name).where(
            Community.id.in_(community_ids))).all())
        header, rows = microdata.rows(survey, community_ids, names)
        tables = {"匿名答卷": [header, *rows]}
    path = folder / export.file_name
    if export.format == "xlsx":
        workbook = Workbook(write_only=True)
        for title, rows in tables.items():
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(row)
        workbook.save(path)
    else:
        # utf-8-sig: Excel on Chinese Windows opens it without garbling.
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            for index, (title, rows) in enumerate(tables.items()):
                if index:
                    writer.writerow([])
                writer.writerow([f"【{title}】"])
                writer.writerows(rows)


def _stat_row(stats):
    return [stats["valid"], stats["satisfied"], stats["rate"], stats["mean"], stats["ci_low"],
            stats["ci_high"]]


STAT_HEADER = ["有效回答", "满意人次", "满意率", "均值(0-100)", "95%区间下限", "95%区间上限"]


def _result_tables(computed):
    ballots, rate = computed["ballots"], computed["response_rate"]
    disclosure = computed["disclosure"]
    summary = [["项目", "数值"], ["满意率口径", computed["definition"]["version"]],
               ["口径说明", computed["definition"]["text"]],
               ["公布规则", f"每个数字至少基于 {disclosure['min_households']} 户；不足的小区、题目不计入任何合计"],
               ["未公布的小区数", disclosure["withheld_communities"]],
               ["计入统计的答卷", ballots["counted"]], ["答卷总数", _or_hidden(ballots["total"])],
               ["答案完全一致的答卷", _or_hidden(ballots["flagged"]["straight_line"])],
               ["被标记答卷是否计入", "是" if ballots["flagged"]["counted"] else "否"],
               ["登记户数", rate["registered_households"]],
               ["参与户数", _or_hidden(rate["responding_households"])],
               ["参与率", _or_hidden(rate["rate"])]]
    areas = [["领域", "名称", *STAT_HEADER]]
    for area in computed["areas"]:
        areas.append([area["code"], area["name"], *_stat_row(area)])
    questions = [["题号", "题目", "题型", "领域", "指标", *STAT_HEADER, "选项统计"]]
    comments = [["题号", "留言"]]
    for q in computed["questions"]:
        stats = q["stats"] or {"valid": None, "satisfied": None, "rate": None, "mean": None,
                               "ci_low": None, "ci_high": None}
        options = "；".join(f"{o['label']} {o['count']}" for o in q["options"] or [])
        questions.append([q["key"], q["text"], q["kind"], q["area_code"], q["indicator_code"],
                          *_stat_row(stats), options])
        if q["comments"] and q["comments"]["shown"]:
            comments += [[q["key"], text] for text in q["comments"]["items"]]
    communities = [["小区", "答卷数", "满意率"]]
    for community in computed["communities"] or []:
        communities.append([community["community"], _cell(community, "respondents"),
                            _cell(community, "rate")])
    return {"概况": summary, "领域": areas, "题目": questions, "小区": communities,
            "留言": comments}


HIDDEN = "<5（不公开）"


def _or_hidden(value):
    return HIDDEN if value is None else value


def _cell(row, key):
    return HIDDEN if row["suppressed"] else row[key]
