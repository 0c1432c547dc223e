from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.inspection import (DecisionIn, DrawIn, FieldInspectionOut, GradeIn,
                                       InspectionArgs, InspectionOut, InspectionPage,
                                       VolunteerArgs, VolunteerMe, VolunteerOut, VolunteerPage)
from server.services.inspections import checklists, volunteers
from server.services.scoring import volunteer_source

blp = Blueprint("inspections", __name__, url_prefix="/api/v1",
                description="志愿监督员与实地考察抽查（实地考察的志愿者来源）")


def volunteer_view(volunteer):
    return {"id": volunteer.id, "community_id": volunteer.community_id,
            "community_name": volunteer.community.name, "status": volunteer.status,
            "reason": volunteer.reason, "applied_at": volunteer.applied_at,
            "decided_at": volunteer.decided_at}


def inspection_view(inspection):
    return {"id": inspection.id, "community_id": inspection.community_id,
            "community_name": inspection.community.name, "cycle_id": inspection.cycle_id,
            "status": inspection.status, "seed": inspection.seed, "groups": inspection.groups,
            "items": inspection.items, "created_at": inspection.created_at,
            "submitted_at": inspection.submitted_at}


@blp.route("/volunteers", methods=["POST"])
@blp.response(201, VolunteerOut)
@authenticated(blp, 403, 409)
@requires("resident")
def apply(actor):
    """Volunteer as a supervisor of my community's field inspections (committee approves)."""
    return volunteer_view(volunteers.apply(actor))


@blp.route("/volunteers/me", methods=["GET"])
@blp.response(200, VolunteerMe)
@authenticated(blp, 403)
@requires("resident")
def my_volunteering(actor):
    """My pending or approved volunteering, or null."""
    volunteer = volunteers.current(actor.resident)
    return {"volunteer": volunteer_view(volunteer) if volunteer else None}


@blp.route("/volunteers", methods=["GET"])
@blp.arguments(VolunteerArgs, location="query")
@blp.response(200, VolunteerPage)
@authenticated(blp, 403, 422)
@requires("staff")
def list_volunteers(args, actor):
    """Volunteers of the communities in my scope; `status=pending` for the committee's queue."""
    page = volunteers.list_for(actor, args.get("status"), args["page"], args["per_page"])
    page.items = [volunteer_view(v) for v in page.items]
    return page


@blp.route("/volunteers/<id:volunteer_id>/approve", methods=["POST"])
@blp.response(200, VolunteerOut)
@authenticated(blp, 403, 404, 409)
@requires("staff")
def approve(volunteer_id, actor):
    """The committee approves a volunteer of its community."""
    return volunteer_view(volunteers.decide(actor, volunteer_id, True))


@blp.route("/volunteers/<id:volunteer_id>/reject", methods=["POST"])
# Every field is optional, so a missing body reads as {}; the document says so.
@blp.arguments(DecisionIn, required=False)
@blp.response(200, VolunteerOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff")
def reject(body, volunteer_id, actor):
    """The committee rejects a volunteer, with a reason."""
    return volunteer_view(volunteers.decide(actor, volunteer_id, False, body["reason"]))


@blp.route("/inspections", methods=["POST"])
@blp.arguments(DrawIn)
@blp.response(201, InspectionOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff")
def draw(body, actor):
    """The street draws a checklist: per group of points (road, bin, fire_lane) the whole
    population, the field-inspection indicator they are graded for, and how many to draw.
    Drawn with random.Random(seed); seed and population are kept so anyone can redraw it."""
    return inspection_view(checklists.draw(actor, body))


@blp.route("/inspections", methods=["GET"])
@blp.arguments(InspectionArgs, location="query")
@blp.response(200, InspectionPage)
@authenticated(blp, 422)
@requires()
def list_inspections(args, actor):
    """A volunteer's own checklists; staff: those of the communities in their scope."""
    page = checklists.list_for(actor, args.get("status"), args["page"], args["per_page"])
    page.items = [inspection_view(i) for i in page.items]
    return page


@blp.route("/inspections/<id:inspection_id>", methods=["GET"])
@blp.response(200, InspectionOut)
@authenticated(blp, 404)
@requires()
def get_inspection(inspection_id, actor):
    return inspection_view(checklists.get_for(actor, inspection_id))


@blp.route("/inspections/<id:inspection_id>/items/<id:item_id>", methods=["PUT"])
@blp.arguments(GradeIn)
@blp.response(200, InspectionOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("resident")
def grade_item(body, inspection_id, item_id, actor):
    """The volunteer grades one drawn point A/B/C with a photo uploaded first."""
    return inspection_view(checklists.grade(actor, inspection_id, item_id, body))


@blp.route("/inspections/<id:inspection_id>/submit", methods=["POST"])
@blp.response(200, InspectionOut)
@authenticated(blp, 403, 404, 409, 422)
@requires("resident")
def submit(inspection_id, actor):
    """Submit a checklist once every point has a grade and a photo."""
    return inspection_view(checklists.submit(actor, inspection_id))


@blp.route("/communities/<id:community_id>/field-inspection", methods=["GET"])
@blp.response(200, FieldInspectionOut)
@authenticated(blp, 403, 404)
@requires("staff")
def field_inspection(community_id, actor):
    """The field-inspection indicators with two labelled sources side by side: the official
    entry (which alone counts in the score) and the volunteers' sampled grades."""
    return volunteer_source.field_inspection_sources(actor, community_id)
