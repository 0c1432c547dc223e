"""The statistics of a survey result, as pure functions over counts (never over ballots).

Wilson interval: a dozen lines here rather than statsmodels (`proportion_confint(...,
method="wilson")` gives the same numbers) - that library would bring numpy, scipy and pandas,
about 150 MB, into a web app for one formula. The tests check this one against published
values.
"""
import math
from dataclasses import dataclass, field

from server.services.surveys.definitions import LEVELS, SCORE, UNKNOWN, VALID_LEVELS

# The 0.975 quantile of the standard normal distribution: a two-sided 95% interval.
Z95 = 1.959963984540054
# A cell (building, community, question) with fewer answers than this shows no numbers.
MIN_CELL = 5
# Free-text answers are shown only once a question has at least this many.
MIN_COMMENTS = 8


def wilson(successes, n, z=Z95):
    """The Wilson score interval for a binomial proportion (Wilson 1927), as (low, high), or
    None for n = 0. Unlike the normal approximation it stays inside [0, 1] and behaves for
    small n and for proportions near 0 or 1, which satisfaction rates often are."""
    if n <= 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Tally:
    """Counts of satisfaction levels: {5: n, 4: n, ..., 0: n (不了解)}."""

    counts: dict = field(default_factory=dict)

    def add(self, level, count):
        self.counts[level] = self.counts.get(level, 0) + count
        return self

    def merge(self, other):
        for level, count in other.counts.items():
            self.add(level, count)
        return self

    @property
    def valid(self):
        return sum(self.counts.get(level, 0) for level in VALID_LEVELS)

    @property
    def unknown(self):
        return self.counts.get(UNKNOWN, 0)

    def satisfied(self, definition):
        return sum(self.counts.get(level, 0) for level in definition.satisfied_levels)

    def summary(self, definition, min_cell=MIN_CELL):
        """Everything the results show for one question or area. Below `min_cell` valid
        answers only the counts of answers are shown: a share of three people is a person."""
        valid = self.valid
        out = {"answers": valid + self.unknown, "valid": valid, "unknown": self.unknown,
               "suppressed": valid < min_cell, "satisfied": None, "rate": None, "mean": None,
               "ci_low": None, "ci_high": None, "shares": None}
        if valid < min_cell:
            return out
        satisfied = self.satisfied(definition)
        low, high = wilson(satisfied, valid)
        out.update(
            satisfied=satisfied, rate=round(satisfied / valid, 4),
            mean=round(sum(SCORE[lv] * self.counts.get(lv, 0) for lv in VALID_LEVELS) / valid,
                       2),
            ci_low=round(low, 4), ci_high=round(high, 4),
            shares=[{"level": lv, "label": LEVELS[lv],
                     "count": self.counts.get(lv, 0),
                     "share": round(self.counts.get(lv, 0) / valid, 4) if lv != UNKNOWN
                     else None} for lv in (*VALID_LEVELS, UNKNOWN)])
        return out


def suppress(cells, threshold=MIN_CELL):
    """Which cells of a table to hide, given {key: count} for the cells of one total.

    Primary: every cell under `threshold`. Complementary: while the hidden cells could be
    recovered from the total - exactly one hidden, or hidden ones adding up to less than
    `threshold` - hide the smallest shown cell too. What is left hidden is either nothing,
    or at least two cells that together hold at least `threshold` answers, so subtracting
    the shown cells from the total reveals only a group of at least `threshold`."""
    hidden = {key for key, count in cells.items() if count < threshold}
    if not hidden:
        return hidden
    shown = sorted((count, str(key), key) for key, count in cells.items() if key not in hidden)
    while shown and (len(hidden) < 2 or sum(cells[k] for k in hidden) < threshold):
        hidden.add(shown.pop(0)[2])
    return hidden
