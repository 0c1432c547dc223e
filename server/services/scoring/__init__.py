"""The evaluation (测评体系), the creation cycle and the community's status.

framework.py  the evaluation system as data (file format, checks, rule arithmetic)
inputs.py     the only reader of survey and report data (set-based SQL)
compute.py    recompute scores as snapshots (exact sums, rounded once for display), and show them
entries.py    entered indicators: the committee prepares, the street and district review
articles.py   the articles of 第十条–第十二条, so every reason names its article
eligibility.py  the one answer per community, date and stage: may it take this step?
veto.py       veto events (第十条): scope, window, correction, withdrawal, notifications
cycle.py      cycles, quotas, stage moves and who makes them; the creation start
selection.py  the district's selection within its quota (第十一条（二）)
city.py       the city's lists and opinions (第十一条（三）–（五）)
titles.py     the title's life: granted, kept, lost, lapsed (第十二条)
status.py     the residents' view of their community, cached in Redis (cache.py: its key)

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
