"""Rounding for readers of aggregates: no published figure, nor any sum or difference of them,
gives back a small count exactly (the differencing attack on the hot-spot filters)."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferoptions.analytics.suppression import round_count, round_table


@pytest.mark.parametrize(("count", "shown"), [
    (0, 0), (1, "fewer than 5"), (4, "fewer than 5"), (5, 5), (7, 5), (8, 10), (12, 10),
    (13, 15), (31, 30), (32, 30), (33, 35)])
def test_counts_are_rounded_to_the_nearest_five(count, shown):
    assert round_count(count) == shown


def test_a_count_at_the_threshold_never_reads_as_zero():
    assert round_count(3, threshold=3) == 5
    assert round_count(9, threshold=10) == "fewer than 10"


def _possible(shown, threshold=5, base=5) -> set[int]:
    """Every exact count that could be shown as `shown`."""
    return {n for n in range(0, 200) if round_count(n, threshold, base) == shown}


@given(st.integers(0, 150), st.integers(0, 150))
def test_the_difference_of_two_rounded_counts_never_pins_a_small_count(a, b):
    """Two nested views (a <= a + b) published rounded: the difference between them, worked
    from what is shown, is never one exact small number."""
    whole, part = round_count(a + b), round_count(a)
    differences = {w - p for w, p in itertools.product(_possible(whole), _possible(part))
                   if w >= p}
    small = {d for d in differences if 0 < d < 5}
    assert len(differences) > 1 or not small


def test_every_cell_and_total_is_rounded_on_its_own():
    table = round_table([[31, 2], [0, 8]])
    assert table.cells == [[30, "fewer than 5"], [0, 10]]
    assert table.row_totals == [35, 10]  # 33 and 8: not the sum of the shown cells
    assert table.column_totals == [30, 10]
    assert table.grand_total == 40  # 41
