"""Wilson intervals against published values, the respondent-clustered variance against
statsmodels, and suppression that leaves no single cell recoverable."""
import itertools
import math

import pytest

from server.services.surveys.stats import ClusterRatio, suppress, wilson


# Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson score).
@pytest.mark.parametrize("successes, n, low, high", [
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718)])
def test_wilson_matches_published_values(successes, n, low, high):
    got = wilson(successes, n)
    assert round(got[0], 4) == low and round(got[1], 4) == high


def test_wilson_has_no_interval_without_answers():
    assert wilson(0, 0) is None


def test_a_single_small_cell_takes_the_smallest_other_cell_with_it():
    assert suppress({"A": 12, "B": 6, "C": 3}) == {"B", "C"}


def test_small_cells_that_add_up_to_less_than_five_take_more_with_them():
    assert suppress({"A": 12, "B": 6, "C": 3, "D": 1}) == {"B", "C", "D"}


def test_nothing_is_hidden_when_every_cell_is_large_enough():
    assert suppress({"A": 5, "B": 9}) == set()


@pytest.mark.parametrize("counts", list(itertools.product([1, 2, 4, 5, 7, 12], repeat=3)))
def test_what_is_hidden_is_never_one_cell_or_a_small_group(counts):
    cells = dict(zip("ABC", counts))
    hidden = suppress(cells)
    assert all(cells[k] >= 5 for k in cells if k not in hidden)
    if hidden and len(hidden) < len(cells):
        assert len(hidden) >= 2 and sum(cells[k] for k in hidden) >= 5


def _cluster_of(ballots):
    """ClusterRatio from per-household answers [[1, 0, 1], [1], ...] (1 = satisfied)."""
    total = ClusterRatio()
    for answers in ballots:
        s, m = sum(answers), len(answers)
        total = total + ClusterRatio(1, s, m, s * s, s * m, m * m, 0)
    return total


@pytest.mark.parametrize("ballots", [
    [[1, 1, 1], [1, 0], [0, 0, 0], [1, 1], [1, 0, 1], [0]],
    [[1] * 11, [1] * 11, [0] * 11, [1, 0] * 5, [1] * 3, [0, 1, 1], [1, 1]],
])
def test_cluster_variance_and_interval_match_statsmodels(ballots):
    sm = pytest.importorskip("statsmodels.api")
    from statsmodels.stats.proportion import proportion_confint

    y = [a for answers in ballots for a in answers]
    groups = [i for i, answers in enumerate(ballots) for _ in answers]
    fit = sm.OLS(y, [[1.0]] * len(y)).fit(cov_type="cluster", cov_kwds={"groups": groups})
    ratio = _cluster_of(ballots)
    assert ratio.rate == pytest.approx(fit.params[0])
    assert math.sqrt(ratio.variance) == pytest.approx(fit.bse[0], rel=1e-9)
    n = ratio.effective_n
    low, high = proportion_confint(ratio.rate * n, n, alpha=0.05, method="wilson")
    assert ratio.interval() == (pytest.approx(low), pytest.approx(high))


def test_one_households_eleven_answers_are_not_eleven_observations():
    one_voice = _cluster_of([[1] * 11] + [[1, 0]] * 4)  # 5 households, 19 answers
    naive = wilson(one_voice.S, one_voice.M)
    low, high = one_voice.interval()
    assert one_voice.effective_n < one_voice.M and (high - low) > (naive[1] - naive[0])
