"""Wilson intervals against published values, and suppression that leaves no single cell
recoverable."""
import itertools

import pytest

from server.services.surveys.stats import suppress, wilson


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
