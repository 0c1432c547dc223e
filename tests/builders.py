"""Small builders for tests: an org tree, residents, staff, and an API client that logs in."""
from dataclasses import dataclass

from server.extensions import db
from server.models import Membership, Resident
from server.services import org as org_service
from server.services import staff as staff_service

PASSWORD = "correct-horse-battery"


@dataclass
class Org:
    city: object
    district: object
    other_district: object
    street: object
    other_street: object
    area: object
    other_area: object
    community: object
    sibling: object
    far_community: object


def make_org():
    """SH > XH > XH-TP > {XH-TP-R01: A, B; XH-TP-R02: C}; SH > JA > JA-CJ > JA-CJ-R01: D.
    `community` (A) and `sibling` (B) share a committee; `far_community` (D) is another
    district."""
    city = org_service.ensure_unit("SH", "上海市", "city")
    xh = org_service.ensure_unit("XH", "徐汇区", "district", city)
    ja = org_service.ensure_unit("JA", "静安区", "district", city)
    tp = org_service.ensure_unit("XH-TP", "天平路街道", "street", xh, kind="街道")
    cj = org_service.ensure_unit("JA-CJ", "曹家渡街道", "street", ja, kind="街道")
    r1 = org_service.ensure_unit("XH-TP-R01", "建业里居民区", "residential_area", tp)
    r2 = org_service.ensure_unit("XH-TP-R02", "高安路居民区", "residential_area", tp)
    r3 = org_service.ensure_unit("JA-CJ-R01", "长寿新村居民区", "residential_area", cj)
    a = org_service.ensure_community("XH-TP-001", "建业里", r1, "建国西路440弄", 120,
                                     ["1号楼", "2号楼", "10号楼"])
    b = org_service.ensure_community("XH-TP-002", "永嘉新村", r1, "永嘉路580弄", 80, ["1号楼"])
    org_service.ensure_community("XH-TP-003", "高安公寓", r2, "高安路18号", 40, ["1号楼"])
    d = org_service.ensure_community("JA-CJ-001", "长寿新村", r3, "长寿路650弄", 200, ["1号楼"])
    db.session.commit()
    return Org(city, xh, ja, tp, cj, r1, r3, a, b, d)


def make_resident(openid="resident-1"):
    resident = Resident(openid=openid)
    db.session.add(resident)
    db.session.commit()
    return resident


def make_member(community, openid="member-1", building="1", unit="1", room="101",
                status="approved"):
    resident = make_resident(openid)
    db.session.add(Membership(resident=resident, community=community, building=building,
                              unit=unit, room=room, status=status))
    db.session.commit()
    return resident


def make_staff(role, scope_code, username=None, password=PASSWORD):
    staff = staff_service.create_staff(username or f"{role}-{scope_code}".lower(), password,
                                       role, scope_code)
    db.session.commit()
    return staff


class ApiClient:
    """The Flask test client with a token: `api.as_resident("x").get(...)`."""

    def __init__(self, client, token=None):
        self.client = client
        self.token = token

    def as_resident(self, openid="resident-1"):
        response = self.client.post("/api/v1/auth/dev-login", json={"openid": openid})
        assert response.status_code == 200, response.json
        return ApiClient(self.client, response.json["token"])

    def as_staff(self, staff, password=PASSWORD):
        response = self.client.post("/api/v1/auth/staff-login",
                                    json={"username": staff.username, "password": password})
        assert response.status_code == 200, response.json
        return ApiClient(self.client, response.json["token"])

    def _headers(self, headers):
        merged = dict(headers or {})
        if self.token:
            merged["Authorization"] = f"Bearer {self.token}"
        return merged

    def get(self, path, **kwargs):
        return self.client.get(path, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path, **kwargs):
        return self.client.post(path, headers=self._headers(kwargs.pop("headers", None)),
                                **kwargs)

    def put(self, path, **kwargs):
        return self.client.put(path, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def patch(self, path, **kwargs):
        return self.client.patch(path, headers=self._headers(kwargs.pop("headers", None)),
                                 **kwargs)

    def delete(self, path, **kwargs):
        return self.client.delete(path, headers=self._headers(kwargs.pop("headers", None)),
                                  **kwargs)
