"""The evaluation framework (测评体系): every loaded version with its indicators; the city
office loads a new version from a YAML/JSON file, every problem listed in Chinese, nothing
stored unless the whole file is right."""
from flask import flash, redirect, render_template, request, url_for

from server.console.blueprint import bp
from server.console.session import staff_required
from server.errors import APIError, Invalid
from server.extensions import db
from server.services.scoring import framework

METHOD_WORDS = {"questionnaire": "问卷调查", "supervision": "群众监督",
                "field_inspection": "实地考察", "material_review": "材料审核"}
MAX_BYTES = 512 * 1024


@bp.route("/framework")
@staff_required("street", "district", "city")
def framework_page(actor):
    versions = framework.list_versions()
    return render_template("console/framework.html", versions=versions,
                           current=versions[0] if versions else None,
                           method_words=METHOD_WORDS, reasons=None)


@bp.route("/framework", methods=["POST"])
@staff_required("city")
def framework_load(actor):
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise Invalid("请选择测评体系文件（.yaml 或 .json）")
        raw = upload.stream.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise Invalid("文件过大（最多 512 KB）")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid("文件须为 UTF-8 编码") from None
        loaded = framework.load(framework.parse(text, upload.filename), actor)
        db.session.commit()
    except APIError as err:
        db.session.rollback()
        versions = framework.list_versions()
        reasons = (err.details or {}).get("reasons") or []
        return render_template("console/framework.html", versions=versions,
                               current=versions[0] if versions else None,
                               method_words=METHOD_WORDS, error=err.message,
                               reasons=reasons), err.status
    flash(f"已导入测评体系 {loaded.version}（{len(loaded.indicators)} 项指标）", "success")
    return redirect(url_for("console.framework_page"))
