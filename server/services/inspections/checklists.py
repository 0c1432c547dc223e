"""A street draws a checklist for a community and assigns it to an approved volunteer; the
volunteer grades every drawn point A/B/C with a photo and submits it."""
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import (Community, FieldInspection, Indicator, InspectionItem,
                           VolunteerSupervisor)
from server.models.base import utcnow
from server.models.inspection import POINT_KINDS
from server.services import access, audit, photos as photo_service
from server.services.inspections import sampling
from server.services.pagination import paginate
from server.services.scoring import clock, framework as frameworks

MAX_POPULATION = 200


def _field_indicators(cycle):
    framework = frameworks.for_cycle(cycle)
    if framework is None:
        return {}
    return {i.code: i for i in db.session.execute(db.select(Indicator).filter_by(
        framework_id=framework.id, method="field_inspection")).scalars()}


def _invalid(field, message):
    return Invalid(message, details={"fields": {field: [message]}})


def _groups(raw_groups, indicators):
    groups = []
    for number, group in enumerate(raw_groups, start=1):
        where = f"groups[{number}]"
        if group["kind"] not in POINT_KINDS:
            raise _invalid(where, "点位类型应为 road / bin / fire_lane")
        if group["indicator_code"] not in indicators:
            raise _invalid(where, f"{group['indicator_code']} 不是本周期测评体系中的实地考察指标")
        population = [p.strip() for p in group["population"]]
        if (not population or len(population) > MAX_POPULATION or any(not p for p in population)
                or len(set(population)) != len(population)):
            raise _invalid(where, f"点位清单应为 1–{MAX_POPULATION} 个不重复的名称")
        if not 1 <= group["size"] <= len(population):
            raise _invalid(where, "抽取数量应在 1 与点位总数之间")
        groups.append({"kind": group["kind"], "indicator_code": group["indicator_code"],
                       "population": population, "size": group["size"]})
    return groups


def draw(actor, body):
    """The street's draw: validated groups, a seed (given, or a fresh random one), the items
    drawn with random.Random(seed), all stored for a reviewer to redraw."""
    if actor.staff.role != "street":
        raise Forbidden("实地考察清单由街道抽取", slug="street_only")
    community = access.community_for_staff(actor.staff, body["community_id"])
    volunteer = db.session.get(VolunteerSupervisor, body["volunteer_id"])
    if (volunteer is None or volunteer.community_id != community.id
            or volunteer.status != "approved"):
        raise _invalid("volunteer_id", "该居民不是本小区已审核的志愿监督员")
    cycle = clock.current_cycle()
    if cycle is None:
        raise Conflict("当前没有进行中的创建周期", slug="no_cycle")
    groups = _groups(body["groups"], _field_indicators(cycle))
    seed = str(body["seed"]) if body.get("seed") is not None else sampling.new_seed()
    inspection = FieldInspection(community_id=community.id, cycle_id=cycle.id,
                                 volunteer_id=volunteer.id, drawn_by_id=actor.staff.id,
                                 seed=seed, groups=groups, status="assigned",
                                 created_at=utcnow())
    db.session.add(inspection)
    position = 0
    for group, points in sampling.draw(seed, groups):
        for point in points:
            position += 1
            db.session.add(InspectionItem(inspection=inspection, position=position,
                                          kind=group["kind"], point=point,
                                          indicator_code=group["indicator_code"]))
    db.session.flush()
    audit.record(actor, "inspection.draw", inspection, None,
                 {"seed": seed, "groups": groups, "volunteer_id": volunteer.id})
    db.session.commit()
    return inspection


def _visible(actor):
    if actor.is_staff:
        return FieldInspection.community_id.in_(
            db.select(Community.id).where(access.community_filter(actor.staff)))
    return FieldInspection.volunteer_id.in_(db.select(VolunteerSupervisor.id).where(
        VolunteerSupervisor.resident_id == actor.resident.id))


def list_for(actor, status, page, per_page):
    query = db.select(FieldInspection).where(_visible(actor)).order_by(
        FieldInspection.id.desc())
    if status:
        query = query.where(FieldInspection.status == status)
    return paginate(query, page, per_page)


def get_for(actor, inspection_id):
    inspection = db.session.execute(db.select(FieldInspection).where(
        FieldInspection.id == inspection_id, _visible(actor))).scalar_one_or_none()
    if inspection is None:
        raise NotFound("未找到该考察清单", slug="inspection_not_found")
    return inspection


def _editable(actor, inspection_id):
    inspection = get_for(actor, inspection_id)
    if inspection.volunteer.status != "approved":
        raise Forbidden("您的志愿监督员资格已失效", slug="volunteer_not_approved")
    if inspection.status != "assigned":
        raise Conflict("该清单已提交，不能再修改", slug="inspection_submitted")
    return inspection


def grade(actor, inspection_id, item_id, body):
    """The volunteer grades one drawn point: A/B/C and a photo they uploaded (kept)."""
    inspection = _editable(actor, inspection_id)
    item = next((i for i in inspection.items if i.id == item_id), None)
    if item is None:
        raise NotFound("清单中没有该点位", slug="item_not_found")
    if body["photo_id"] != item.photo_id:
        (photo,) = photo_service.claim(actor, [body["photo_id"]])
        used = db.session.execute(db.select(InspectionItem.id).filter_by(
            photo_id=photo.id)).first()
        if used is not None:
            raise Invalid("图片不存在或已被使用，请重新上传", slug="photo_unavailable",
                          details={"photo_id": photo.id})
        item.photo_id = photo.id
    item.grade, item.note, item.graded_at = body["grade"], body["note"].strip(), utcnow()
    db.session.commit()
    return inspection


def submit(actor, inspection_id):
    inspection = _editable(actor, inspection_id)
    missing = [i.point for i in inspection.items if i.grade is None or i.photo_id is None]
    if missing:
        raise Invalid("还有点位未评级或未拍照", slug="items_incomplete",
                      details={"points": missing})
    inspection.status, inspection.submitted_at = "submitted", utcnow()
    db.session.commit()
    return inspection
