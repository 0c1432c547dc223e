"""Photos: checked, cleaned and stored on upload; shown only to those who may see them.

An upload is sniffed from its bytes (never from its name or declared type), opened by Pillow
limited to that one format, refused when it has too many pixels (a decompression bomb),
auto-rotated from its EXIF orientation, and re-encoded as a fresh JPEG. Only the re-encoding
is stored, so EXIF, GPS and anything else the phone wrote never reach the disk. A resident's
photo also goes to WeChat's image check (mediaCheckAsync) through the outbox.

Files are served by the app (`GET /api/v1/uploads/{id}/file`) to a caller who may see the
photo, either with the Bearer token or with a short-lived signed link handed out in API
answers (the mini-program's <image> tag cannot send headers).
"""
import io
import uuid
import warnings

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from PIL import Image, ImageOps, UnidentifiedImageError

from server.errors import APIError, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import Photo
from server.models.base import utcnow
from server.services import access, audit, content_checks
from server.storage import storage

try:  # HEIC/HEIF (iPhone photos) when pillow-heif is installed; see README "Libraries".
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - pinned in requirements.txt
    HEIF = False

FULL_EDGE = 2560
THUMB_EDGE = 480
CHECK_URL_MAX_AGE = 3 * 24 * 3600
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def sniff(data):
    """The image format from the first bytes, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if HEIF and data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIF"
    return None


def _unsupported():
    allowed = "JPEG、PNG、WebP" + ("、HEIC" if HEIF else "")
    return APIError(f"仅支持 {allowed} 格式的图片", slug="unsupported_image_type", status=415)


def _too_large(message):
    return APIError(message, slug="image_too_large", status=413)


def decode(data):
    """Open and fully decode an upload; returns a Pillow image or raises the API error."""
    config = current_app.config
    if len(data) > config["UPLOAD_MAX_BYTES"]:
        raise _too_large("图片不能超过 %d MB" % (config["UPLOAD_MAX_BYTES"] // (1024 * 1024)))
    if not data:
        raise Invalid("没有收到图片内容", slug="empty_upload")
    fmt = sniff(data)
    if fmt is None:
        raise _unsupported()
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; a bomb is refused, not decoded.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[fmt])
            width, height = image.size
            if width * height > config["UPLOAD_MAX_PIXELS"]:
                raise _too_large("图片像素过大，请压缩后再上传")
            image.seek(0)  # the first frame of an animation
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_large("图片像素过大，请压缩后再上传") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            raise Invalid("图片已损坏或无法识别", slug="image_unreadable") from None
    return fmt, image


def _clean(image):
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    return image


def _jpeg(image, edge):
    copy = image.copy()
    copy.thumbnail((edge, edge))
    out = io.BytesIO()
    # No exif= argument: the new file carries no metadata at all.
    copy.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), copy.size


def store_upload(actor, data):
    """Check, clean and store one upload for `actor`; commits and returns the Photo."""
    fmt, image = decode(data)
    clean = _clean(image)
    full, (width, height) = _jpeg(clean, FULL_EDGE)
    thumb, _ = _jpeg(clean, THUMB_EDGE)
    stamp = utcnow().strftime("%Y/%m")
    name = uuid.uuid4().hex
    key, thumb_key = f"photos/{stamp}/{name}.jpg", f"photos/{stamp}/{name}.thumb.jpg"
    backend = storage()
    backend.put(key, full, "image/jpeg")
    backend.put(thumb_key, thumb, "image/jpeg")
    photo = Photo(storage_key=key, thumb_key=thumb_key, content_type="image/jpeg",
                  source_format=fmt.lower(), width=width, height=height, size=len(full),
                  uploader_resident=actor.resident, uploader_staff=actor.staff)
    db.session.add(photo)
    db.session.flush()
    if actor.resident is not None:
        community = _resident_community(actor.resident)
        photo.content_check = content_checks.submit_image(
            actor.resident, check_url(photo), "photo", photo.id, community=community)
    db.session.commit()
    return photo


def _resident_community(resident):
    for membership in resident.memberships:
        if membership.status == "approved":
            return membership.community
    return None


# --- who may see a photo ------------------------------------------------------------------

def may_see(actor, photo):
    from server.services.reports import access as report_access

    if actor.is_staff:
        if photo.report is not None:
            return access.staff_sees_community(actor.staff, photo.report.community)
        if photo.rectification is not None:
            return access.staff_sees_community(actor.staff, photo.rectification.community)
        return photo.uploader_staff_id == actor.staff.id
    if photo.hidden_at is not None:
        return False
    mine = photo.uploader_resident_id == actor.resident.id
    if photo.report is not None:
        if not report_access.resident_sees(actor.resident, photo.report):
            return False
        return mine or content_checks.visible_to(actor, photo.content_check)
    return mine and photo.rectification is None


def visible_photos(actor, photos):
    return [p for p in photos if may_see(actor, p)]


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="photo-file")


def file_url(actor, photo, size="full"):
    """A signed link to the file for a caller who may see it, valid PHOTO_URL_TTL seconds."""
    viewer = "staff" if actor.is_staff else "resident"
    token = _serializer().dumps({"p": photo.id, "s": size, "v": viewer})
    return f"/api/v1/uploads/{photo.id}/file?t={token}"


def check_url(photo):
    """The absolute link WeChat's image check downloads the photo from."""
    token = _serializer().dumps({"p": photo.id, "s": "full", "v": "check"})
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/api/v1/uploads/{photo.id}/file?t={token}"


def open_file(actor, photo_id, token, size):
    """(bytes, content_type) of a photo for a signed link or an authorised caller; anything
    else is a 404, so a link cannot be used to learn whether a photo exists."""
    photo = db.session.get(Photo, photo_id)
    if photo is None:
        raise _not_found()
    if token:
        try:
            claims = _serializer().loads(token, max_age=_max_age(token))
        except BadSignature:
            raise _not_found() from None
        if claims.get("p") != photo.id or (claims.get("v") != "staff"
                                             and photo.hidden_at is not None):
            raise _not_found()
        size = claims.get("s", "full")
    elif actor is None or not may_see(actor, photo):
        raise _not_found()
    key = photo.thumb_key if size == "thumb" else photo.storage_key
    return storage().get(key), photo.content_type


def _max_age(token):
    try:
        viewer = _serializer().loads_unsafe(token)[1].get("v")
    except (AttributeError, TypeError):
        return 0
    return CHECK_URL_MAX_AGE if viewer == "check" else current_app.config["PHOTO_URL_TTL"]


def _not_found():
    return NotFound("未找到该图片", slug="photo_not_found")


def get_for(actor, photo_id):
    photo = db.session.get(Photo, photo_id)
    if photo is None or not may_see(actor, photo):
        raise _not_found()
    return photo


def hide(actor, photo_id, reason):
    """Staff hide a photo from residents (a face, a number plate); audited."""
    photo = get_for(actor, photo_id)
    if photo.report is None and photo.rectification is None:
        raise Forbidden("只能隐藏已附在反映或整改上的图片", slug="photo_not_attached")
    before = {"hidden": photo.hidden_at is not None}
    photo.hidden_at = photo.hidden_at or utcnow()
    photo.hidden_by_id = actor.staff.id
    photo.hidden_reason = reason
    audit.record(actor, "photo.hide", photo, before, {"hidden": True, "reason": reason})
    db.session.commit()
    return photo


def claim(actor, photo_ids, limit=9):
    """The caller's own unattached photos with these ids, in order; 422 for any other id."""
    if not photo_ids:
        return []
    if len(photo_ids) > limit or len(set(photo_ids)) != len(photo_ids):
        raise Invalid(f"最多 {limit} 张图片，且不能重复", slug="too_many_photos")
    rows = {p.id: p for p in db.session.execute(
        db.select(Photo).where(Photo.id.in_(photo_ids))).scalars()}
    for photo_id in photo_ids:
        photo = rows.get(photo_id)
        owner = (photo.uploader_staff_id == actor.staff.id if actor.is_staff and photo
                 else photo is not None and photo.uploader_resident_id == actor.resident.id)
        if not owner or photo.attached:
            raise Invalid("图片不存在或已被使用，请重新上传", slug="photo_unavailable",
                          details={"photo_id": photo_id})
    return [rows[i] for i in photo_ids]
