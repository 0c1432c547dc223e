from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import RAISE

from server.api.docs import authenticated, errors
from server.api.report_views import photo_view
from server.auth import current_actor, requires
from server.errors import Invalid
from server.schemas.report import PhotoOut
from server.schemas.upload import FileArgs, HideIn, UploadIn, UploadOut
from server.services import photos, ratelimit

blp = Blueprint("uploads", __name__, url_prefix="/api/v1/uploads",
                description="图片上传（去除 EXIF/GPS 后保存）与受权限保护的读取")


@blp.route("", methods=["POST"])
@blp.arguments(UploadIn, location="files", unknown=RAISE)
@blp.response(201, UploadOut)
@authenticated(blp, 400, 413, 415, 422, 429)
@requires()
def upload(files, actor):
    """Upload one image (multipart field `file`): JPEG, PNG, WebP or HEIC, sniffed from its
    bytes. It is re-encoded, auto-rotated and stripped of EXIF/GPS; attach it afterwards by
    its id (photo_ids). Any other part of the form is refused (422), like unknown JSON fields.
    Rate limited per account and per address (429)."""
    if request.form:
        raise Invalid(details={"fields": {name: ["不支持的字段"] for name in request.form}})
    ratelimit.limit_actor("upload", actor)
    data = files["file"].stream.read()
    return photo_view(actor, photos.store_upload(actor, data))


@blp.route("/<id:photo_id>/file", methods=["GET"])
@blp.arguments(FileArgs, location="query")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="image/jpeg")
@errors(blp, 401, 404, 422)
@blp.doc(security=[{"bearerAuth": []}, {}])
def photo_file(args, photo_id):
    """The image, for a signed link from an API answer or a caller who may see it."""
    data, content_type = photos.open_file(current_actor(), photo_id, args["t"], args["size"])
    response = Response(data, mimetype=content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.route("/<id:photo_id>/hide", methods=["POST"])
@blp.arguments(HideIn)
@blp.response(200, PhotoOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff")
def hide(body, photo_id, actor):
    """Hide a photo from residents (a face, a number plate); staff still see it. Audited."""
    return photo_view(actor, photos.hide(actor, photo_id, body["reason"]))
