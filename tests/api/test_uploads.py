"""Uploads: sniffed, limited, re-encoded without EXIF/GPS, rotated, thumbnailed, and served only
to those who may see them."""
import io
import struct
import zlib

import pytest
from PIL import Image

from server.models import AuditLog, Photo
from server.storage import storage
from tests.builders import make_member, make_staff
from tests.reports_helpers import GPS_TAG, ReportWorld, image_bytes, upload


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def stored(db, photo_id, thumb=False):
    photo = db.session.get(Photo, photo_id)
    return storage().get(photo.thumb_key if thumb else photo.storage_key)


def test_stored_photo_has_no_exif_or_gps(world, db, record):
    response = record("upload", upload(world.reporter, image_bytes(exif=True)))
    assert response.status_code == 201
    data = stored(db, response.json["id"])
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0 and GPS_TAG not in image.getexif()
    assert b"Exif" not in data and b"TestPhone" not in data


def test_photo_is_auto_rotated_from_its_exif_orientation(world, db):
    # Orientation 6: the camera was turned; the picture must come out upright (portrait).
    response = upload(world.reporter, image_bytes(size=(80, 40), orientation=6))
    assert (response.json["width"], response.json["height"]) == (40, 80)


def test_large_photo_gets_a_small_thumbnail(world, db):
    response = upload(world.reporter, image_bytes(size=(1600, 1200)))
    thumb = Image.open(io.BytesIO(stored(db, response.json["id"], thumb=True)))
    assert max(thumb.size) == 480


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF"])
def test_png_webp_and_heic_are_accepted_and_stored_as_jpeg(world, db, fmt):
    response = upload(world.reporter, image_bytes(fmt=fmt), name="x.img")
    assert response.status_code == 201, response.json
    assert db.session.get(Photo, response.json["id"]).source_format in ("png", "webp", "heif")


@pytest.mark.parametrize("data", [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b"%PDF-1.4 not an image", b"GIF89a....",
])
def test_svg_and_non_images_are_415_and_nothing_is_stored(world, db, data):
    response = upload(world.reporter, data, name="photo.jpg", content_type="image/jpeg")
    assert response.status_code == 415
    assert response.json["error"] == "unsupported_image_type"
    assert db.session.execute(db.select(Photo)).first() is None


def test_too_many_bytes_is_413(world, app, db):
    app.config["UPLOAD_MAX_BYTES"] = 2048
    response = upload(world.reporter, image_bytes(size=(400, 400), color=(1, 2, 3)) + b"0" * 4096)
    assert response.status_code == 413 and response.json["error"] == "image_too_large"


def _png_header_only(width, height):
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_decompression_bomb_is_413_without_decoding(world, db):
    response = upload(world.reporter, _png_header_only(60000, 60000), name="bomb.png")
    assert response.status_code == 413
    assert db.session.execute(db.select(Photo)).first() is None


def test_truncated_image_is_422(world):
    response = upload(world.reporter, image_bytes()[:60])
    assert response.status_code == 422 and response.json["error"] == "image_unreadable"


def test_upload_without_a_file_is_422(world):
    response = world.reporter.post("/api/v1/uploads", data={},
                                   content_type="multipart/form-data")
    assert response.status_code == 422


@pytest.mark.parametrize("extra", [{"note": "x"}, {"second": (io.BytesIO(b"x"), "b.jpg")}],
                         ids=["form field", "second file"])
def test_upload_with_another_part_is_422_and_nothing_is_stored(world, db, extra):
    data = {"file": (io.BytesIO(image_bytes()), "a.jpg"), **extra}
    response = world.reporter.post("/api/v1/uploads", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and response.json["error"] == "invalid"
    assert list(response.json["details"]["fields"]) == list(extra)
    assert db.session.query(Photo).count() == 0


def test_upload_needs_a_login(client):
    response = client.post("/api/v1/uploads", data={"file": (io.BytesIO(image_bytes()), "a.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 401


def test_signed_link_serves_the_photo_to_its_owner(world, client):
    url = upload(world.reporter).json["url"]
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"


def test_tampered_link_is_404(world, client):
    photo = upload(world.reporter).json
    assert client.get(f"/api/v1/uploads/{photo['id']}/file?t=forged").status_code == 404


def test_unattached_photo_is_only_its_uploaders(world):
    photo_id = upload(world.reporter).json["id"]
    assert world.reporter.get(f"/api/v1/uploads/{photo_id}/file").status_code == 200
    assert world.neighbour.get(f"/api/v1/uploads/{photo_id}/file").status_code == 404
    assert world.committee.get(f"/api/v1/uploads/{photo_id}/file").status_code == 404


def test_private_report_photo_is_hidden_from_other_residents(world):
    report = world.file(code="noise", public=False, photos=1)
    photo_id = report["photos"][0]["id"]
    assert world.reporter.get(f"/api/v1/uploads/{photo_id}/file").status_code == 200
    assert world.committee.get(f"/api/v1/uploads/{photo_id}/file").status_code == 200
    assert world.neighbour.get(f"/api/v1/uploads/{photo_id}/file").status_code == 404
    assert world.neighbour.get(f"/api/v1/reports/{report['id']}").status_code == 404


def test_staff_hide_a_photo_and_residents_no_longer_see_it(world, db, client):
    report = world.file(photos=1)
    photo = report["photos"][0]
    response = world.committee.post(f"/api/v1/uploads/{photo['id']}/hide",
                                    json={"reason": "含人脸"})
    assert response.status_code == 200 and response.json["hidden"] is True
    assert world.neighbour.get(f"/api/v1/reports/{report['id']}").json["photos"] == []
    assert client.get(photo["url"]).status_code == 404  # the link handed out earlier
    assert world.committee.get(f"/api/v1/uploads/{photo['id']}/file").status_code == 200
    assert db.session.execute(db.select(AuditLog).filter_by(action="photo.hide")).scalar_one()


def test_residents_cannot_hide_photos(world):
    photo_id = world.file(photos=1)["photos"][0]["id"]
    response = world.reporter.post(f"/api/v1/uploads/{photo_id}/hide", json={"reason": "x"})
    assert response.status_code == 403


def test_hiding_needs_a_reason(world):
    photo_id = world.file(photos=1)["photos"][0]["id"]
    response = world.committee.post(f"/api/v1/uploads/{photo_id}/hide", json={})
    assert response.status_code == 422


def test_staff_outside_the_scope_cannot_hide(world):
    photo_id = world.file(photos=1)["photos"][0]["id"]
    response = world.far_committee.post(f"/api/v1/uploads/{photo_id}/hide", json={"reason": "x"})
    assert response.status_code == 404


def test_resident_photo_goes_to_the_image_check(api, org, db):
    world = ReportWorld(api, org, checks=True)
    photo = db.session.get(Photo, upload(world.reporter).json["id"])
    assert photo.content_check is not None and photo.content_check.media == "image"
    assert "/api/v1/uploads/" in photo.content_check.content


def test_the_image_check_url_is_built_from_public_base_url(app, api, org, db):
    # Whatever host the request came to, WeChat downloads from the public address.
    app.config["PUBLIC_BASE_URL"] = "https://civic.example.cn/"
    world = ReportWorld(api, org, checks=True)
    response = world.reporter.client.post(
        "/api/v1/uploads", base_url="http://10.0.0.7:8000",
        headers={"Authorization": f"Bearer {world.reporter.token}"},
        data={"file": (io.BytesIO(image_bytes()), "a.jpg", "image/jpeg")},
        content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    check = db.session.get(Photo, response.json["id"]).content_check
    assert check.content.startswith(
        f"https://civic.example.cn/api/v1/uploads/{response.json['id']}/file?t=")


def test_staff_photo_is_not_sent_to_the_check(api, org, db):
    staff = api.as_staff(make_staff("committee", "XH-TP-R01"))
    make_member(org.community, openid="x")
    photo = db.session.get(Photo, upload(staff).json["id"])
    assert photo.content_check is None
