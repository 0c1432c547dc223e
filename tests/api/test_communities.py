"""Finding communities: residents search all by name; staff see exactly their scope."""
import pytest

from tests.builders import make_staff


def names(response):
    assert response.status_code == 200, response.json
    return sorted(item["name"] for item in response.json["items"])


def test_resident_searches_communities_by_name(api, org):
    response = api.as_resident().get("/api/v1/communities?q=新村")
    assert names(response) == ["永嘉新村", "长寿新村"]


def test_search_by_code_finds_the_community(api, org):
    assert names(api.as_resident().get("/api/v1/communities?q=xh-tp-003")) == ["高安公寓"]


def test_search_treats_like_wildcards_literally(api, org):
    assert names(api.as_resident().get("/api/v1/communities?q=%25")) == []


def test_list_is_paginated_with_total(api, org):
    response = api.as_resident().get("/api/v1/communities?per_page=3&page=2")
    body = response.json
    assert (body["page"], body["per_page"], body["total"]) == (2, 3, 4)
    assert len(body["items"]) == 1


def test_community_detail_has_street_and_district(api, org):
    response = api.as_resident().get(f"/api/v1/communities/{org.community.id}")
    body = response.json
    assert body["code"] == "XH-TP-001"
    assert body["street"] == {"id": org.street.id, "code": "XH-TP", "name": "天平路街道",
                              "level": "street", "kind": "街道"}
    assert body["district"]["code"] == "XH" and body["district"]["kind"] is None
    assert body["buildings"] == ["1号楼", "2号楼", "10号楼"]


def test_community_by_code_for_the_qr_scene(api, org):
    response = api.as_resident().get("/api/v1/communities/by-code/xh-tp-001")
    assert response.status_code == 200 and response.json["id"] == org.community.id


def test_unknown_community_is_404(api, org):
    assert api.as_resident().get("/api/v1/communities/99999").status_code == 404
    assert api.as_resident().get("/api/v1/communities/by-code/NOPE").status_code == 404


def test_communities_need_a_login(client, org):
    assert client.get("/api/v1/communities").status_code == 401


def test_overlong_query_is_422(api, org):
    assert api.as_resident().get("/api/v1/communities?q=" + "字" * 51).status_code == 422


@pytest.mark.parametrize("role, scope, visible", [
    ("committee", "XH-TP-R01", ["建业里", "永嘉新村"]),
    ("street", "XH-TP", ["建业里", "永嘉新村", "高安公寓"]),
    ("district", "JA", ["长寿新村"]),
    ("city", "SH", ["建业里", "永嘉新村", "长寿新村", "高安公寓"]),
])
def test_staff_list_only_their_scope(api, org, role, scope, visible):
    staff_api = api.as_staff(make_staff(role, scope))
    assert names(staff_api.get("/api/v1/communities")) == sorted(visible)


@pytest.mark.parametrize("role, scope", [("committee", "XH-TP-R01"), ("street", "XH-TP"),
                                         ("district", "XH")])
def test_staff_get_404_for_a_community_outside_their_scope(api, org, role, scope):
    staff_api = api.as_staff(make_staff(role, scope))
    response = staff_api.get(f"/api/v1/communities/{org.far_community.id}")
    assert response.status_code == 404
    by_code = staff_api.get(f"/api/v1/communities/by-code/{org.far_community.code}")
    assert by_code.status_code == 404
