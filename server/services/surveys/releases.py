"""Which counts results are computed from: a survey's release.

For now the release is the live state of the ballots (aggregates.collect); see results.py.
"""
from dataclasses import dataclass

from server.services.surveys import aggregates
from server.services.surveys.stats import MIN_CELL

THRESHOLDS = (MIN_CELL, MIN_CELL + 1)


@dataclass
class Release:
    cells: dict
    released_at: str | None = None


def current(survey, community_ids):
    return Release(aggregates.collect(survey, community_ids, THRESHOLDS))
