"""The statistics of a survey result, as pure functions over counts (never over ballots).

Wilson interval and the cluster-robust ratio variance: a few lines here rather than
statsmodels, which would bring numpy, scipy and pandas, about 150 MB, into the web app; the
tests check both against statsmodels (a test-only dependency) and published values.
"""
import math
from dataclasses import dataclass

from server.services.surveys.definitions import LEVELS, SCORE, UNKNOWN, VALID_LEVELS

# The 0.975 quantile of the standard normal distribution: a two-sided 95% interval.
Z95 = 1.959963984540054
# A figure is published only if it rests on at least this many households (respondents); for
# a resident who answered, on at least this many others (MIN_CELL + 1 in all).
MIN_CELL = 5
# Free-text answers are shown in batches of at least this many.
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


def wilson_share(p, n, z=Z95):
    """Wilson's interval for a share `p` observed on an effective sample of `n` (which need
    not be whole: see ClusterRatio)."""
    if n <= 0:
        return None
    return wilson(p * n, n, z)


@dataclass
class ClusterRatio:
    """满意率 of a group of questions as a ratio of sums over respondents: household b gave
    m_b valid answers of which s_b satisfied; R = S / M with S = sum s_b, M = sum m_b.

    One household's answers are not independent observations: the variance is the
    cluster-robust (linearised ratio) one, var(R) = G/(G-1) * sum (s_b - R m_b)^2 / M^2 over
    the G respondents, which is what an OLS of the 0/1 answers on a constant with standard
    errors clustered by respondent gives (statsmodels, tests/services/test_survey_stats.py).
    The interval is Wilson's on the effective sample p(1-p)/var (at most M, at least G when
    the answers do not vary), so it stays inside [0, 1]."""

    G: int = 0
    S: int = 0
    M: int = 0
    SS: int = 0
    SM: int = 0
    MM: int = 0
    SCORE: int = 0

    @classmethod
    def of(cls, sums):
        return cls(*sums) if sums else cls()

    def __add__(self, other):
        return ClusterRatio(*(getattr(self, f) + getattr(other, f) for f in _CLUSTER_FIELDS))

    @property
    def rate(self):
        return self.S / self.M if self.M else None

    @property
    def variance(self):
        if self.G < 2 or not self.M:
            return None
        r = self.rate
        spread = self.SS - 2 * r * self.SM + r * r * self.MM
        return self.G / (self.G - 1) * max(spread, 0.0) / (self.M * self.M)

    @property
    def effective_n(self):
        var, r = self.variance, self.rate
        if var is None:
            return None
        if var <= 0 or r in (0.0, 1.0):
            return float(self.G)
        return max(float(self.G), min(float(self.M), r * (1 - r) / var))

    def interval(self):
        n = self.effective_n
        return wilson_share(self.rate, n) if n else None


_CLUSTER_FIELDS = ("G", "S", "M", "SS", "SM", "MM", "SCORE")


def level_counts(levels):
    """{level: n} from the JSON form {"5": n, ...}."""
    return {int(level): n for level, n in levels.items()}


def summary(levels, definition, k, cluster=None):
    """Everything shown for one question, area or the whole: published only when at least
    `k` respondents gave a valid answer; under that, no count at all (a count of one
    person's answers is their answers). `cluster` (areas, overall) makes the interval
    respondent-level; a single question has one answer per respondent, so plain Wilson is."""
    valid = sum(levels.get(lv, 0) for lv in VALID_LEVELS)
    unknown = levels.get(UNKNOWN, 0)
    respondents = cluster.G if cluster is not None else valid
    out = {"answers": None, "valid": None, "unknown": None, "respondents": None,
           "suppressed": True, "satisfied": None, "rate": None, "mean": None,
           "ci_low": None, "ci_high": None, "shares": None}
    if cluster is None and valid + unknown >= k:
        # Who answered 不了解 is a figure too: shown only with enough answers behind it.
        out.update(answers=valid + unknown, unknown=unknown)
    if valid < k or respondents < k:
        return out
    satisfied = sum(levels.get(lv, 0) for lv in definition.satisfied_levels)
    if cluster is None:
        low, high = wilson(satisfied, valid)
    else:
        low, high = cluster.interval()
    out.update(
        answers=valid + unknown, valid=valid, unknown=unknown, respondents=respondents,
        suppressed=False, satisfied=satisfied, rate=round(satisfied / valid, 4),
        mean=round(sum(SCORE[lv] * levels.get(lv, 0) for lv in VALID_LEVELS) / valid, 2),
        ci_low=round(low, 4), ci_high=round(high, 4),
        shares=[{"level": lv, "label": LEVELS[lv], "count": levels.get(lv, 0),
                 "share": round(levels.get(lv, 0) / valid, 4) if lv != UNKNOWN else None}
                for lv in (*VALID_LEVELS, UNKNOWN)])
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
