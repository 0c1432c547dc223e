"""The demo's survey: the city-wide template, published for every demo community by the city
office. Idempotent: found by its template and title, never created twice."""
from datetime import timedelta

from server.extensions import db
from server.models import Community, Staff, Survey
from server.models.base import utcnow
from server.services.surveys import definitions, lifecycle

TITLE = "2026年度文明小区创建居民满意度调查"


def seed_survey(owner_username="city-admin"):
    existing = db.session.execute(db.select(Survey).filter_by(
        template_code=definitions.DEFAULT_TEMPLATE_CODE, title=TITLE)).scalar_one_or_none()
    if existing is not None:
        return existing
    owner = db.session.execute(db.select(Staff).filter_by(
        username=owner_username)).scalar_one_or_none()
    if owner is None:
        return None
    now = utcnow()
    survey = Survey(
        title=TITLE, intro=definitions.DEFAULT_TEMPLATE_INTRO, status="published",
        response_unit="household", template_code=definitions.DEFAULT_TEMPLATE_CODE,
        definition_version=definitions.CURRENT_DEFINITION, opens_at=now,
        closes_at=now + timedelta(days=60), published_at=now, owner_unit_id=owner.scope_unit_id,
        created_by_id=owner.id,
        questions=lifecycle.build_questions(definitions.DEFAULT_TEMPLATE_QUESTIONS),
        communities=list(db.session.execute(db.select(Community).order_by(Community.id))
                         .scalars()))
    db.session.add(survey)
    db.session.flush()
    return survey
