"""Small helpers every console view uses: reading form fields, paging, photos from a form."""
from flask import flash, request

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


def flash_error(err: APIError):
    """Show a service's refusal above the form: its message and each field's reasons."""
    fields = (err.details or {}).get("fields") or {}
    reasons = [r for values in fields.values() for r in (values if isinstance(values, list)
                                                           else [values])]
    flash(err.message + ("：" + "；".join(map(str, reasons)) if reasons else ""), "error")
