"""Small-number suppression: no small count is shown, and none can be worked out from totals."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferoptions.analytics.suppression import SECONDARY, suppress_count, suppress_table


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (120, 120)])
def test_single_counts(count, shown):
    assert suppress_count(count) == shown


def test_the_threshold_is_the_partnerships_choice():
    assert suppress_count(9, threshold=10) == "<10"
    assert suppress_count(10, threshold=10) == 10


@pytest.mark.parametrize("bad", [-1, 2.5, "3", None, True])
def test_a_count_that_is_not_a_whole_number_is_refused(bad):
    with pytest.raises(ValueError, match="count must be a whole number"):
        suppress_count(bad)


@pytest.mark.parametrize("bad", [0, -5, 2.0])
def test_a_bad_threshold_is_refused(bad):
    with pytest.raises(ValueError, match="threshold"):
        suppress_count(3, threshold=bad)


@pytest.mark.parametrize(
    ("counts", "reason"),
    [
        ([], "at least one row"),
        ([[1, 2], [3]], "row 1 has 1 cells"),
        ([[1, -2]], r"counts\[0\]\[1\]"),
    ],
)
def test_a_malformed_table_is_refused_naming_the_cell(counts, reason):
    with pytest.raises(ValueError, match=reason):
        suppress_table(counts)


def test_one_small_cell_in_a_row_takes_the_next_smallest_with_it():
    table = suppress_table([[3, 10, 20], [30, 40, 50]])
    assert table.cells[0][0] == "<5"
    assert table.cells[0][1] == SECONDARY  # else 33 - 10 - 20 gives the 3 back
    assert table.row_totals == [33, 120]
    assert table.grand_total == 153


def test_a_table_without_small_numbers_is_published_whole():
    table = suppress_table([[0, 10], [7, 9]])
    assert table.cells == [[0, 10], [7, 9]]
    assert (table.row_totals, table.column_totals, table.grand_total) == ([10, 16], [7, 19], 26)


def test_a_single_row_table_hides_the_column_totals_that_equal_its_cells():
    table = suppress_table([[2, 10]])
    assert table.cells == [["<5", SECONDARY]]
    assert table.column_totals == ["<5", SECONDARY]


def _truth(counts):
    rows = [[*row, sum(row)] for row in counts]
    return [*rows, [sum(column) for column in zip(*rows, strict=True)]]


def _published(table):
    rows = [[*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)]
    return [*rows, [*table.column_totals, table.grand_total]]


def _reduced(matrix, width: int) -> list[list[Fraction]]:
    """Reduced row echelon form over the rationals (exact, independent of the helper)."""
    rows = [[Fraction(v) for v in row] for row in matrix]
    rank = 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        rows[rank] = [v / rows[rank][column] for v in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rows[:rank]


def _recoverable(published) -> list:
    """Hidden cells whose value the published cells and the balancing lines fix exactly."""
    height, width = len(published), len(published[0])
    hidden = [
        (r, c) for r in range(height) for c in range(width) if isinstance(published[r][c], str)
    ]
    lines = [[(r, c, 1) for c in range(width - 1)] + [(r, width - 1, -1)] for r in range(height)]
    lines += [[(r, c, 1) for r in range(height - 1)] + [(height - 1, c, -1)] for c in range(width)]
    equations = [
        [next((s for r, c, s in line if (r, c) == cell), 0) for cell in hidden] for line in lines
    ]
    reduced = _reduced(equations, len(hidden))
    pivots = [next(i for i, v in enumerate(row) if v != 0) for row in reduced]
    free = set(range(len(hidden))) - set(pivots)
    # A pivot unknown is fixed when its row involves no free unknown.
    return [
        hidden[p] for p, row in zip(pivots, reduced, strict=True) if all(row[f] == 0 for f in free)
    ]


tables = st.integers(1, 5).flatmap(
    lambda width: st.lists(
        st.lists(st.integers(0, 6) | st.integers(0, 60), min_size=width, max_size=width),
        min_size=1,
        max_size=5,
    )
)


@settings(max_examples=200, deadline=None)
@given(tables, st.integers(2, 10))
def test_no_suppressed_cell_can_be_recovered_by_subtraction(counts, threshold):
    truth = _truth(counts)
    published = _published(suppress_table(counts, threshold))
    assert _recoverable(published) == []
    for r, row in enumerate(published):
        for c, shown in enumerate(row):
            value = truth[r][c]
            if 0 < value < threshold:
                assert shown == f"<{threshold}"
            elif not isinstance(shown, str):
                assert shown == value
            else:
                assert shown == SECONDARY


def test_the_checker_itself_sees_a_cell_recoverable_by_subtraction():
    # Only primary suppression: 33 - 10 - 20 reveals the hidden 3.
    assert _recoverable([["<5", 10, 20, 33], [30, 40, 50, 120], [33, 50, 70, 153]]) == [(0, 0)]
