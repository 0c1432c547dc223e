"""Small helpers every console view uses: reading form fields, paging, photos from a form,
and turning a service's refusal into a message above the form."""
from contextlib import contextmanager
from dataclasses import dataclass

from flask import flash, request
from marshmallow import ValidationError

from server.errors import APIError, Invalid
from server.services import photos as photo_service

PER_PAGE = 20


def page_args():
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    return page, PER_PAGE


def int_field(name, label, required=False):
    raw = (request.form.get(name) or "").strip()
    if not raw:
        if required:
            raise Invalid(f"请填写{label}", details={"fields": {name: [f"请填写{label}"]}})
        return None
    try:
        return int(raw)
    except ValueError:
        raise Invalid(f"{label}应为整数", details={"fields": {name: [f"{label}应为整数"]}}) from None


def uploaded_photo_ids(actor, field="photos"):
    """Store every image chosen in a file input; their ids, to attach by a service."""
    ids = []
    for upload in request.files.getlist(field):
        if upload and upload.filename:
            ids.append(photo_service.store_upload(actor, upload.stream.read()).id)
    return ids


def photo_links(actor, photos):
    return [{"id": p.id, "url": photo_service.file_url(actor, p),
             "thumb": photo_service.file_url(actor, p, "thumb")}
            for p in photo_service.visible_photos(actor, photos)]


@dataclass
class Outcome:
    ok: bool = False


@contextmanager
def attempt(success=None):
    """Run a service call for a form: a refusal (409, 422...) is flashed above the form and the
    view goes on to redirect; a foreign object (404) still shows the 404 page."""
    outcome = Outcome()
    try:
        yield outcome
    except APIError as err:
        if err.status == 404:
            raise
        flash_error(err)
    else:
        outcome.ok = True
        if success:
            flash(success, "success")


def flash_error(err: APIError):
    """Show a service's refusal above the form: its message and each field's reasons."""
    fields = (err.details or {}).get("fields") or {}
    reasons = [r for values in fields.values() for r in (values if isinstance(values, list)
                                                           else [values])]
    flash(err.message + ("：" + "；".join(map(str, reasons)) if reasons else ""), "error")


FIELD_WORDS = {"title": "标题", "requirement": "整改要求", "deadline": "整改期限",
               "community_id": "小区", "report_ids": "涉及的反映", "area": "标准领域",
               "note": "说明"}


def load(schema, data):
    """Validate form data with the API's own schema (one rule for both); a refusal becomes
    the same 422 the API answers, with Chinese field names."""
    try:
        return schema.load(data)
    except ValidationError as err:
        fields = {FIELD_WORDS.get(name, name): reasons for name, reasons in err.messages.items()}
        raise Invalid("请检查填写的内容", details={"fields": {
            name: [f"{name}：{r}" for r in (reasons if isinstance(reasons, list) else [reasons])]
            for name, reasons in fields.items()}}) from None


def id_list(name):
    """"3, 5，8" -> [3, 5, 8] from a free-text field of row ids."""
    raw = (request.form.get(name) or "").replace("，", ",")
    ids = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        if not part.isdigit():
            raise Invalid("反映编号应为数字，用逗号分隔",
                          details={"fields": {name: ["反映编号应为数字，用逗号分隔"]}})
        ids.append(int(part))
    return ids
