"""Rates per 1,000 and the relative rate index, worked by hand; never from a hidden count."""

import pytest

from saferoptions.analytics.disproportionality import (
    check_cells,
    population,
    rate,
    rate_table,
)
from saferoptions.analytics.errors import AnalyticsInputError
from saferoptions.analytics.suppression import suppress_table

CELLS = [("north", "F", "white", "10-13", 300), ("north", "M", "white", "10-13", 300),
         ("north", "F", "black", "14-15", 100), ("south", "M", "black", "14-15", 300)]


def test_population_sums_matching_cells():
    assert population(CELLS, "sex", ["F", "M", "U"]) == [400, 600, 0]
    assert population(CELLS, "ethnicity", ["white", "black"], {"locality": "north"}) == [600, 100]
    assert population(CELLS, "locality", ["north", "south"], {"age_band": "14-15"}) == [100, 300]


def test_rates_and_index_by_hand():
    # 30 of 600 white children (50 per 1,000), 20 of 400 black (50): whole 50 of 1,000.
    table = suppress_table([[30], [20]])
    out = rate_table(table.cells, table.column_totals, [600, 400], 1000)
    assert out["rates"] == [[50.0], [50.0]] and out["whole"] == [50.0]
    assert out["indexes"] == [[1.0], [1.0]]
    table = suppress_table([[10], [40]])
    out = rate_table(table.cells, table.column_totals, [600, 400], 1000)
    assert out["rates"] == [[16.7], [100.0]]
    assert out["indexes"] == [[0.33], [2.0]]


def test_a_suppressed_count_gives_no_rate_nor_index_and_neither_does_its_secondary():
    table = suppress_table([[3, 20], [40, 30]])  # 3 is primary; secondary hides more
    out = rate_table(table.cells, table.column_totals, [100, 100], 200)
    for i, row in enumerate(table.cells):
        for j, value in enumerate(row):
            if not isinstance(value, int):
                assert out["rates"][i][j] == out["indexes"][i][j] == "not shown"
    hidden_totals = [j for j, t in enumerate(table.column_totals) if not isinstance(t, int)]
    for j in hidden_totals:
        assert out["whole"][j] == "not shown"
        assert all(row[j] == "not shown" for row in out["indexes"])


def test_no_population_is_said_not_divided_by():
    assert rate(5, 0) == "no population"
    assert rate("<5", 100) == "not shown"


@pytest.mark.parametrize("cells", [None, [["north", "F", "white", "10-13"]],
                                   [["north", "F", "", "10-13", 3]],
                                   [["north", "F", "white", "10-13", -1]],
                                   [["north", "F", "white", "10-13", True]]])
def test_bad_cells_name_the_field(cells):
    with pytest.raises(AnalyticsInputError) as error:
        check_cells(cells)
    assert error.value.field.startswith("children")
