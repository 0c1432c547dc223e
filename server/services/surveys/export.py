"""Exports of a survey's results or anonymous ballots, as XLSX or CSV, built by a job.

Staff ask (`request_export`), a job on the `exports` queue builds the file (`run`) and records
its progress, the requester polls and downloads. An export covers what its requester may see
(the survey's communities in their scope) and applies the same suppression as the results:
a ballot from a suppressed building shows no building. Comments appear only where the
results would show them. Ballots carry no identity and no day.
"""
import csv
import logging
from pathlib import Path

from flask import current_app
from openpyxl import Workbook

from server.auth import Actor
from server.errors import Conflict, NotFound
from server.extensions import db
from server.models import SurveyAnswer, SurveyBallot, SurveyExport
from server.models.base import utcnow
from server.services import audit, outbox
from server.services.surveys import definitions, lifecycle, results

log = logging.getLogger(__name__)
EXPORT_KIND = "survey.export"
BATCH = 2000
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "csv": "text/csv"}
SUPPRESSED_BUILDING = "（已合并）"


def request_export(actor, survey_id, fmt, content):
    survey = lifecycle.get_for(actor, survey_id)
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
        tables = {"匿名答卷": _ballot_rows(export, survey, community_ids, computed)}
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
    summary = [["项目", "数值"], ["满意率口径", computed["definition"]["version"]],
               ["口径说明", computed["definition"]["text"]], ["答卷总数", ballots["total"]],
               ["计入统计", ballots["counted"]], ["线上填写", ballots["online"]],
               ["代填", ballots["assisted"]], ["被标记答卷", ballots["flagged"]["total"]],
               ["其中 用时过短", ballots["flagged"]["too_fast"]],
               ["其中 答案完全一致", ballots["flagged"]["straight_line"]],
               ["被标记答卷是否计入", "是" if ballots["flagged"]["counted"] else "否"],
               ["登记户数", rate["registered_households"]],
               ["参与户数", rate["responding_households"]], ["参与率", rate["rate"]]]
    areas = [["领域", "名称", *STAT_HEADER, "线上有效", "线上满意率", "代填有效", "代填满意率"]]
    for area in computed["areas"]:
        areas.append([area["code"], area["name"], *_stat_row(area), area["online"]["valid"],
                      area["online"]["rate"], area["assisted"]["valid"],
                      area["assisted"]["rate"]])
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
    buildings = [["小区", "楼栋", "答卷数", "满意率"]]
    for community in computed["buildings"] or []:
        buildings.append([community["community"], "（全小区）",
                          _cell(community, "ballots"), _cell(community, "rate")])
        buildings += [[community["community"], b["building"], _cell(b, "ballots"),
                       _cell(b, "rate")] for b in community["buildings"]]
    return {"概况": summary, "领域": areas, "题目": questions, "楼栋": buildings,
            "留言": comments}


def _cell(row, key):
    return "<5（不公开）" if row["suppressed"] else row[key]


def _ballot_rows(export, survey, community_ids, computed):
    """Header, then one row per counted-or-not ballot in random (key) order; answers are read
    a batch of ballots at a time."""
    questions = [q for q in survey.questions if q.kind not in ("short_text", "long_text")]
    labels = {q.id: {o["value"]: o["label"] for o in q.options} for q in questions}
    # A building is named only where the results show its cell.
    shown = {(c["community_id"], b["building"]) for c in computed["buildings"] or []
             for b in c["buildings"] if not b["suppressed"]}
    names = {c.id: c.name for c in survey.communities}
    yield ["序号", "小区", "楼栋", "代填", "用时过短", "答案完全一致",
           *[f"{q.key} {q.text}" for q in questions]]
    total = db.session.execute(db.select(db.func.count()).select_from(SurveyBallot).where(
        SurveyBallot.survey_id == survey.id,
        SurveyBallot.community_id.in_(community_ids))).scalar_one()
    last, number = None, 0
    while True:
        query = (db.select(SurveyBallot).where(SurveyBallot.survey_id == survey.id,
                                               SurveyBallot.community_id.in_(community_ids))
                 .order_by(SurveyBallot.id).limit(BATCH))
        if last is not None:
            query = query.where(SurveyBallot.id > last)
        batch = db.session.execute(query).scalars().all()
        if not batch:
            return
        answers = {}
        for ballot_id, question_id, level, choice in db.session.execute(
                db.select(SurveyAnswer.ballot_id, SurveyAnswer.question_id, SurveyAnswer.level,
                          SurveyAnswer.choice)
                .where(SurveyAnswer.ballot_id.in_([b.id for b in batch]))
                .order_by(SurveyAnswer.seq)):
            text = definitions.LEVELS[level] if level is not None else labels.get(
                question_id, {}).get(choice, choice)
            answers.setdefault((ballot_id, question_id), []).append(text)
        for ballot in batch:
            number += 1
            building = results.building_label(ballot.building)
            yield [number, names.get(ballot.community_id, ""),
                   building if (ballot.community_id, building) in shown
                   else SUPPRESSED_BUILDING,
                   "是" if ballot.assisted else "", "是" if ballot.too_fast else "",
                   "是" if ballot.straight_line else "",
                   *["、".join(answers.get((ballot.id, q.id), [])) for q in questions]]
        last = batch[-1].id
        _progress(export, 10 + 88 * number / max(total, 1))
