"""Telling residents that a survey is open (the job behind the outbox row publish writes).

Idempotent: a resident already told about this survey is not told again, so a retried job,
or a relay that enqueued the row twice, sends nothing twice.
"""
from server.extensions import db
from server.models import Membership, Notification, Survey
from server.models.survey import survey_communities
from server.services import clock, notifications

PAGE = "pages/survey/index?id={id}"


def announce(survey_id):
    """Write a survey_opened notification for every approved member of the audience who has
    none yet; returns how many were written."""
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.status != "published":
        return 0
    page = PAGE.format(id=survey.id)
    told = db.select(Notification.resident_id).where(Notification.kind == "survey_opened",
                                                     Notification.page == page)
    members = db.session.execute(
        db.select(Membership).join(survey_communities,
                                   survey_communities.c.community_id == Membership.community_id)
        .where(survey_communities.c.survey_id == survey.id, Membership.status == "approved",
               Membership.resident_id.not_in(told))
        .order_by(Membership.id)).scalars().all()
    deadline = clock.display(survey.closes_at)
    for membership in members:
        community = membership.community
        notifications.notify(
            membership.resident, "survey_opened", f"新问卷：{survey.title}",
            f"{community.name}的问卷“{survey.title}”已开始，{deadline} 截止，欢迎参与。",
            {"title": survey.title, "community": community.name, "deadline": deadline},
            page=page, community=community)
    db.session.commit()
    return len(members)
