"""The evaluation (测评体系), the creation cycle and the community's status.

framework.py  the evaluation system as data (file format, checks, rule arithmetic)
inputs.py     the only reader of survey and report data (set-based SQL)
compute.py    recompute scores as snapshots, and show them
entries.py    entered indicators: self-assessment, street and district review
cycle.py      cycles, quotas, stages and who moves them
eligibility.py  may a community apply today (veto events, year 1, 95 points, 3 years)
status.py     the residents' view of their community, cached in Redis

Other services ask for a recompute with `request_recompute(community_id, reason)`.
"""
from server.services import outbox

RECOMPUTE_KIND = "scoring.recompute"


def request_recompute(community_id, reason):
    """Ask for `community_id`'s score to be recomputed (queue `scoring`), in the caller's
    transaction: the request commits with the change that caused it, or not at all. The caller
    commits. `reason` is a short slug kept on the snapshot ("survey_closed", "report_closed",
    "entry_changed", ...). Calling it several times is harmless: a recompute whose inputs did
    not change writes nothing."""
    return outbox.add(RECOMPUTE_KIND, {"community_ids": [int(community_id)],
                                       "reason": str(reason)[:60]})
