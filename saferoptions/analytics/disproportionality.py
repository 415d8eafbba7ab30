"""Rates per 1,000 children and the relative rate index, from counts already suppressed.

Pure (no Django). The caller suppresses the counts first (analytics.suppression, primary and
secondary); a rate is worked only from a count that is shown, so no rate reveals a hidden
count, and a group's relative rate index (its rate over the whole population's rate) only
where the whole's count is shown too.

The child population comes from configuration as cells (locality, sex, broad ethnic group,
age band, children); `population` sums the cells matching a filter by one dimension.
"""

from collections.abc import Sequence

from .errors import AnalyticsInputError

DIMENSIONS = ("locality", "sex", "ethnicity", "age_band")
NOT_SHOWN = "not shown"
NO_POPULATION = "no population"


def check_cells(cells) -> list[tuple]:
    """Population cells as tuples, each (locality, sex, ethnicity, age_band, children >= 0)."""
    if not isinstance(cells, list):
        raise AnalyticsInputError("children", "must be a list of cells")
    checked = []
    for n, cell in enumerate(cells):
        if not isinstance(cell, (list, tuple)) or len(cell) != 5:
            raise AnalyticsInputError(f"children[{n}]", "must be [locality, sex, ethnicity, "
                                      "age band, children]")
        *keys, children = cell
        if not all(isinstance(k, str) and k for k in keys):
            raise AnalyticsInputError(f"children[{n}]", "locality, sex, ethnicity and age band "
                                      "must be non-empty text")
        if isinstance(children, bool) or not isinstance(children, int) or children < 0:
            raise AnalyticsInputError(f"children[{n}]", "children must be a whole number of "
                                      "0 or more")
        checked.append((*keys, children))
    return checked


def population(cells: Sequence[tuple], by: str, keys: Sequence[str],
               where: dict | None = None) -> list[int]:
    """Children per key of dimension `by`, among the cells matching `where` ({dimension: value})."""
    if by not in DIMENSIONS:
        raise AnalyticsInputError("by", f"must be one of {', '.join(DIMENSIONS)}")
    where = where or {}
    index = {d: i for i, d in enumerate(DIMENSIONS)}
    totals = dict.fromkeys(keys, 0)
    for cell in cells:
        if all(cell[index[d]] == v for d, v in where.items()):
            key = cell[index[by]]
            if key in totals:
                totals[key] += cell[4]
    return [totals[k] for k in keys]


def rate(count, children, per: int = 1000):
    """`count` per `per` children, one decimal place; a mark where it cannot be shown."""
    if not isinstance(count, int) or isinstance(count, bool):
        return NOT_SHOWN
    if not children:
        return NO_POPULATION
    return round(per * count / children, 1)


def rate_table(cells: Sequence[Sequence], column_totals: Sequence, populations: Sequence,
               whole_population, per: int = 1000) -> dict:
    """Rates and relative rate indexes for a suppressed table (rows: groups, columns: measures).

    `cells` and `column_totals` are the suppressed values (numbers or marks); `populations`
    the children in each row's group; `whole_population` all children the table covers.
    Returns {"rates": [[rate per cell]], "indexes": [[index per cell]], "whole": [rate per
    column]}. An index is the group's rate over the whole's, two decimal places.
    """
    if len(cells) != len(populations):
        raise AnalyticsInputError("populations", "needs one population per row")
    exact = [_exact(t, whole_population, per) for t in column_totals]
    rates, indexes = [], []
    for row, children in zip(cells, populations, strict=True):
        rates.append([rate(v, children, per) for v in row])
        indexes.append([_index(_exact(v, children, per), w) for v, w in zip(row, exact,
                                                                          strict=True)])
    return {"rates": rates, "indexes": indexes,
            "whole": [rate(t, whole_population, per) for t in column_totals]}


def _exact(count, children, per):
    if not isinstance(count, int) or isinstance(count, bool) or not children:
        return None
    return per * count / children


def _index(group, whole):
    if group is None or whole is None:
        return NOT_SHOWN
    return round(group / whole, 2) if whole else NO_POPULATION
