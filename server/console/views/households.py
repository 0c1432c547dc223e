"""The household register: import from XLSX/CSV with a preview (row errors in Chinese,
nothing written until the committee confirms a clean file), and export."""
import io
import secrets
from pathlib import Path

from flask import (current_app, flash, redirect, render_template, request, send_file, session,
                   url_for)
from openpyxl import Workbook

from server.console.blueprint import bp
from server.console.session import staff_required
from server.errors import Invalid
from server.services import access, households, org

PENDING_KEY = "household_import"
SUFFIXES = (".xlsx", ".csv")


def _communities(actor):
    return org.search_communities(actor, "", 1, 200).items


def _import_dir():
    folder = Path(current_app.config["UPLOAD_DIR"]) / "register-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pending_path(actor):
    """The file waiting for confirmation, if it was uploaded by this staff member."""
    pending = session.get(PENDING_KEY) or {}
    if pending.get("staff_id") != actor.staff.id:
        return None, None
    path = _import_dir() / pending.get("name", "")
    return (path if path.is_file() else None), pending.get("community_id")


def _discard(actor):
    path, _ = _pending_path(actor)
    if path is not None:
        path.unlink(missing_ok=True)
    session.pop(PENDING_KEY, None)


@bp.route("/households")
@staff_required("committee", "street", "district", "city")
def households_page(actor):
    communities = _communities(actor)
    sizes = households.register_sizes([c.id for c in communities])
    return render_template("console/households/index.html", communities=communities,
                           sizes=sizes)


@bp.route("/households/preview", methods=["POST"])
@staff_required("committee")
def households_preview(actor):
    community = access.community_for_staff(actor.staff, _community_id())
    upload = request.files.get("file")
    suffix = Path(upload.filename).suffix.lower() if upload and upload.filename else ""
    if suffix not in SUFFIXES:
        raise Invalid("请选择 Excel（.xlsx）或 CSV 文件")
    _discard(actor)
    name = secrets.token_hex(16) + suffix
    path = _import_dir() / name
    upload.save(path)
    report = households.import_file(community, path, write=False)
    if report.ok:
        session[PENDING_KEY] = {"staff_id": actor.staff.id, "community_id": community.id,
                                "name": name}
    else:
        path.unlink(missing_ok=True)
    return render_template("console/households/preview.html", community=community,
                           report=report, filename=upload.filename)


@bp.route("/households/confirm", methods=["POST"])
@staff_required("committee")
def households_confirm(actor):
    path, community_id = _pending_path(actor)
    if path is None or community_id != _community_id():
        flash("没有待确认的导入文件，请重新上传", "error")
        return redirect(url_for("console.households_page"))
    community = access.community_for_staff(actor.staff, community_id)
    report = households.import_file(community, path, write=True)
    _discard(actor)
    if report.ok:
        flash(f"已导入{community.name}户籍：新增 {report.added} 户，已存在 "
              f"{report.already_present} 户", "success")
    else:  # the register changed between preview and confirm in a way that broke a row
        flash(f"有 {len(report.bad_rows)} 行有误，未导入任何数据", "error")
    return redirect(url_for("console.households_page"))


@bp.route("/households/<id:community_id>.xlsx")
@staff_required("committee", "street", "district", "city")
def households_export(community_id, actor):
    community = access.community_for_staff(actor.staff, community_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "户籍"
    sheet.append(["楼号", "单元", "室号"])
    for household in households.register_of(community.id):
        sheet.append([household.building, household.unit, household.room])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return send_file(buffer, as_attachment=True, download_name=f"{community.name}-户籍.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _community_id():
    try:
        return int(request.form.get("community_id", ""))
    except ValueError:
        raise Invalid("请选择小区") from None
