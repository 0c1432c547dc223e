"""Helpers for the report tests: images made in memory, categories loaded, reports filed and
moved through the API as the mini-program and the console would."""
import io
from functools import cached_property

from PIL import Image

from server.extensions import db
from server.models import ReportCategory
from server.services.reports import categories
from tests.builders import make_member, make_staff

GPS_TAG, ORIENTATION_TAG, MAKE_TAG = 0x8825, 0x0112, 0x010F


def image_bytes(fmt="JPEG", size=(64, 48), exif=False, orientation=None, color=(200, 30, 30)):
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {}
    if exif or orientation:
        tags = Image.Exif()
        tags[MAKE_TAG] = "TestPhone"
        if orientation:
            tags[ORIENTATION_TAG] = orientation
        if exif:
            tags[GPS_TAG] = {1: "N", 2: (31.0, 12.0, 30.0), 3: "E", 4: (121.0, 26.0, 10.0)}
        kwargs["exif"] = tags.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def load_categories():
    categories.load_categories()
    db.session.commit()
    return {c.code: c for c in db.session.execute(db.select(ReportCategory)).scalars()}


def upload(api_client, data=None, name="photo.jpg", content_type="image/jpeg"):
    data = image_bytes() if data is None else data
    return api_client.post("/api/v1/uploads", data={"file": (io.BytesIO(data), name,
                                                             content_type)},
                           content_type="multipart/form-data")


class ReportWorld:
    """Org, categories, a reporter, a neighbour, an outsider and staff at each level."""

    def __init__(self, api, org, checks=False):
        self.api, self.org = api, org
        # Content checks are proven in tests/jobs; here they are off (recorded as skipped,
        # hence public) unless a test is about them.
        from flask import current_app
        current_app.config["WECHAT_TEXT_CHECK"] = checks
        current_app.config["WECHAT_MEDIA_CHECK"] = checks
        self.categories = load_categories()
        make_member(org.community, openid="reporter")
        make_member(org.community, openid="neighbour", room="102")
        make_member(org.far_community, openid="outsider")
        self.reporter = api.as_resident("reporter")
        self.neighbour = api.as_resident("neighbour")
        self.outsider = api.as_resident("outsider")

    # Staff are made on first use: password hashing is the slow part of these tests.
    @cached_property
    def committee(self):
        return self.api.as_staff(make_staff("committee", "XH-TP-R01"))

    @cached_property
    def street(self):
        return self.api.as_staff(make_staff("street", "XH-TP"))

    @cached_property
    def district(self):
        return self.api.as_staff(make_staff("district", "XH"))

    @cached_property
    def far_committee(self):
        return self.api.as_staff(make_staff("committee", "JA-CJ-R01"))

    def file(self, code="clutter", building="2号楼", public=True, photos=0, client=None,
             **extra):
        client = client or self.reporter
        photo_ids = [upload(client).json["id"] for _ in range(photos)]
        body = {"category_id": self.categories[code].id, "description": "楼道堆放杂物",
                "building": building, "is_public": public, "photo_ids": photo_ids, **extra}
        response = client.post("/api/v1/reports", json=body)
        assert response.status_code == 201, response.json
        return response.json

    def act(self, report_id, action, client=None, **body):
        return (client or self.committee).post(f"/api/v1/reports/{report_id}/actions",
                                               json={"action": action, **body})

    def to_status(self, report_id, status):
        """Move a submitted report along the happy path up to `status`."""
        steps = {"accepted": [("accept", {})], "contacted": [("accept", {}), ("contact", {})]}
        steps["in_progress"] = steps["contacted"] + [
            ("assign", {"handler_kind": "property", "handler_name": "物业 王师傅"})]
        steps["resolved"] = steps["in_progress"] + [
            ("resolve", {"note": "已清理", "photo_ids": [upload(self.committee).json["id"]]})]
        for action, body in steps[status]:
            response = self.act(report_id, action, **body)
            assert response.status_code == 200, response.json
        return response.json
