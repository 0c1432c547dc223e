"""The title's life (第十一条（五）, 第十二条): granted when named; kept when a re-examination
passes; lost when one fails; lapsed when year 1 of the next cycle ends with no application for
re-examination (须在新一轮创建周期第一年……提出复查申请).

A lapse happens by the calendar, with nobody acting, so it is derived, not stored: `state`
reads the title row, the cycles and the community's re-examination application, and says
whether the title is held on a day and, if it ended, when and why.
"""
from datetime import date

from server.extensions import db
from server.models import CommunityTitle, Cycle, Participation

REVIEW_STAGES = ("review_applied", "title_kept", "title_lost")
END_LABELS = {"review_failed": "复查未通过，称号不再保留", "lapsed": "未在新一轮周期第一年申请复查，称号失效"}


def latest(community_id):
    return db.session.execute(db.select(CommunityTitle).where(
        CommunityTitle.community_id == community_id)
        .order_by(CommunityTitle.since.desc(), CommunityTitle.id.desc()).limit(1)
    ).scalar_one_or_none()


def _review_cycle(title):
    """The cycle in whose year 1 the next re-examination must be applied for: the first one
    after the cycle that named the title or last kept it."""
    basis = db.session.get(Cycle, title.kept_in_cycle_id or title.named_in_cycle_id or 0)
    if basis is None:
        basis = db.session.execute(db.select(Cycle).where(
            Cycle.start_year <= title.since.year, Cycle.end_year >= title.since.year)
        ).scalar_one_or_none()
    after = basis.end_year if basis is not None else title.since.year
    return db.session.execute(db.select(Cycle).where(Cycle.start_year > after)
                              .order_by(Cycle.start_year).limit(1)).scalar_one_or_none()


def state(community_id, on):
    """{held, since, kept_on, ended_on, end_reason, end_label, review_due_by}; `held` False
    with everything None when the community never held the title."""
    title = latest(community_id)
    out = {"held": False, "since": None, "kept_on": None, "ended_on": None, "end_reason": None,
           "end_label": None, "review_due_by": None, "title_id": None}
    if title is None or title.since > on:
        return out
    out.update(since=title.since, kept_on=title.kept_on, title_id=title.id)
    ended_on, end_reason = title.lost_on, title.end_reason
    review = _review_cycle(title)
    if ended_on is None and review is not None:
        applied = db.session.execute(db.select(Participation.id).where(
            Participation.cycle_id == review.id, Participation.community_id == community_id,
            Participation.stage.in_(REVIEW_STAGES))).first()
        if applied is None:
            out["review_due_by"] = date(review.start_year, 12, 31)
            # Year 1 ends on 31 December; from 1 January of year 2 the title is gone.
            ended_on, end_reason = date(review.start_year + 1, 1, 1), "lapsed"
    if ended_on is not None and ended_on <= on:
        out.update(ended_on=ended_on, end_reason=end_reason, end_label=END_LABELS[end_reason],
                   review_due_by=None)
        return out
    out["held"] = True
    return out


def held(community_id, on):
    """The CommunityTitle row when the title is held on `on`, else None."""
    if not state(community_id, on)["held"]:
        return None
    return latest(community_id)


def grant(community_id, cycle, on):
    title = CommunityTitle(community_id=community_id, named_in_cycle_id=cycle.id, since=on)
    db.session.add(title)
    return title


def keep(title, cycle, on):
    title.kept_on, title.kept_in_cycle_id = on, cycle.id


def lose(title, on):
    title.lost_on, title.end_reason = on, "review_failed"


def for_display(community_id, on):
    """The status page's title block: ISO dates, and the label of an ended title."""
    found = state(community_id, on)
    found.pop("title_id")
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in found.items()}

