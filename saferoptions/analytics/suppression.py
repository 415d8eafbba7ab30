"""Small-number suppression for every count that leaves need-to-know. Pure: no Django here.

A count from 1 to threshold-1 is shown as "<threshold" ("<5" by default): a small number
can identify a child. Zero is shown as 0. In a table the row, column and grand totals are
published too, so one hidden cell could be worked out by subtraction; secondary suppression
hides further cells (shown as "*") until no hidden cell, or hidden total, can be.

Why the rule below is enough: read the table with its totals as a grid in which every line
(row or column, totals included) balances. Hidden cells are edges between their row and
column; a hidden value is fixed by the published ones exactly when its edge lies on no cycle
of hidden edges (a "bridge"). So we hide more until every hidden edge is on a cycle: first
the brief's rule (a line with a single hidden cell hides its next smallest cell), then, for a
remaining bridge (u, v), the smallest cell that closes a four-cycle through it.

Rounding, for readers of aggregates only. Suppression alone does not stop differencing: two
filtered views whose exact counts are both shown (31 events from 20:00, 30 from 21:00) give a
hidden one by subtraction. As official statistics do, such readers get every count rounded to
the nearest `base` (5), with 1 to threshold-1 shown as "fewer than N" and zero as 0; totals are
rounded from their own exact values like any other cell, so they need not add up and no sum or
difference of published figures gives a cell back exactly (`round_count`, `round_table`).

The one home of the rule: analytics (peer maps), contexts, interventions and governance.publish
all use it. Callers pass the threshold from their settings (SMALL_NUMBER_THRESHOLD through
governance.publish, CONTEXTS_SUPPRESSION_THRESHOLD in contexts): analytics reads no settings.
"""

import dataclasses
from collections.abc import Sequence

DEFAULT_THRESHOLD = 5
SECONDARY = "*"

Shown = int | str


@dataclasses.dataclass(frozen=True)
class SuppressedTable:
    """A table ready to publish: cells and totals as numbers or suppression marks."""

    cells: list[list[Shown]]
    row_totals: list[Shown]
    column_totals: list[Shown]
    grand_total: Shown


def small_mark(threshold: int) -> str:
    return f"<{threshold}"


def suppress_count(count: int, threshold: int = DEFAULT_THRESHOLD) -> Shown:
    """One count on its own: 0 as 0, 1..threshold-1 as "<threshold", else the count."""
    _check_threshold(threshold)
    _check_count(count, "count")
    return small_mark(threshold) if 0 < count < threshold else count


def suppress_table(counts: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD):
    """A table of counts with its totals, primary and secondary suppression applied."""
    _check_threshold(threshold)
    grid = _with_totals(_checked_rows(counts))
    primary = {cell for cell, value in _cells(grid) if 0 < value < threshold}
    hidden = _secondary(grid, set(primary))
    shown = [
        [_shown(grid, (r, c), primary, hidden, threshold) for c in range(len(grid[0]))]
        for r in range(len(grid))
    ]
    return SuppressedTable(
        cells=[row[:-1] for row in shown[:-1]],
        row_totals=[row[-1] for row in shown[:-1]],
        column_totals=shown[-1][:-1],
        grand_total=shown[-1][-1],
    )


ROUNDING_BASE = 5


def fewer_mark(threshold: int) -> str:
    return f"fewer than {threshold}"


def round_count(count: int, threshold: int = DEFAULT_THRESHOLD,
                base: int = ROUNDING_BASE) -> Shown:
    """One count for a reader of aggregates: 0, "fewer than N", or to the nearest `base`."""
    _check_threshold(threshold)
    _check_threshold(base)
    _check_count(count, "count")
    if count == 0:
        return 0
    if count < threshold:
        return fewer_mark(threshold)
    # Halves round up; a count at or over the threshold never reads as 0.
    return max(base, (count + base // 2) // base * base)


def round_table(counts: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD,
                base: int = ROUNDING_BASE) -> SuppressedTable:
    """A table with its totals, every cell and every total rounded on its own exact value."""
    _check_threshold(threshold)
    grid = [[round_count(value, threshold, base) for value in row]
            for row in _with_totals(_checked_rows(counts))]
    return SuppressedTable(
        cells=[row[:-1] for row in grid[:-1]],
        row_totals=[row[-1] for row in grid[:-1]],
        column_totals=grid[-1][:-1],
        grand_total=grid[-1][-1],
    )


def _check_threshold(threshold) -> None:
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 1:
        raise ValueError(f"threshold must be a whole number of at least 1, not {threshold!r}")


def _check_count(value, where: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{where} must be a whole number of 0 or more, not {value!r}")


def _checked_rows(counts) -> list[list[int]]:
    rows = [list(row) for row in counts]
    if not rows or not rows[0]:
        raise ValueError("counts must have at least one row and one column")
    for r, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise ValueError(f"counts row {r} has {len(row)} cells, not {len(rows[0])}")
        for c, value in enumerate(row):
            _check_count(value, f"counts[{r}][{c}]")
    return rows


def _with_totals(rows: list[list[int]]) -> list[list[int]]:
    """The grid with a totals column on the right and a totals row at the bottom."""
    with_row_totals = [[*row, sum(row)] for row in rows]
    return [*with_row_totals, [sum(column) for column in zip(*with_row_totals, strict=True)]]


def _cells(grid):
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            yield (r, c), value


def _shown(grid, cell, primary, hidden, threshold) -> Shown:
    if cell in primary:
        return small_mark(threshold)
    return SECONDARY if cell in hidden else grid[cell[0]][cell[1]]


def _secondary(grid, hidden: set) -> set:
    """Hide more cells until every hidden cell lies on a cycle of hidden cells."""
    while True:
        bridge = _first_bridge(hidden)
        if bridge is None:
            return hidden
        hidden.add(_closing_cell(grid, hidden, bridge))


def _preference(grid, cell):
    # Hide the smallest non-zero cell first: zeros are often known to be zero anyway.
    value = grid[cell[0]][cell[1]]
    return (value == 0, value, cell)


def _closing_cell(grid, hidden: set, bridge):
    """The cell whose hiding best protects the cell `bridge`."""
    r, c = bridge
    rows, columns = len(grid), len(grid[0])
    in_row = [(r, k) for k in range(columns) if (r, k) in hidden]
    in_column = [(k, c) for k in range(rows) if (k, c) in hidden]
    if len(in_row) == 1:
        options = [(r, k) for k in range(columns) if (r, k) not in hidden]
    elif len(in_column) == 1:
        options = [(k, c) for k in range(rows) if (k, c) not in hidden]
    else:
        # Both lines hold other hidden cells: join them to make a four-cycle through the bridge.
        options = [
            (r2, c2)
            for (r2, _) in in_column
            for (_, c2) in in_row
            if r2 != r and c2 != c and (r2, c2) not in hidden
        ]
    return min(options, key=lambda cell: _preference(grid, cell))


def _first_bridge(hidden: set):
    """A hidden cell on no cycle of hidden cells (Tarjan's bridges, iteratively), or None."""
    adjacent: dict = {}
    for r, c in hidden:
        adjacent.setdefault(("r", r), []).append(("c", c))
        adjacent.setdefault(("c", c), []).append(("r", r))
    order: dict = {}
    low: dict = {}
    bridges = []
    for root in sorted(adjacent):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, None, iter(adjacent[root]))]
        while stack:
            node, parent, neighbours = stack[-1]
            advanced = False
            for nxt in neighbours:
                if nxt == parent:
                    continue  # a simple graph: the one edge back to the parent is the tree edge
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, node, iter(adjacent[nxt])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if parent is not None:
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    bridges.append(_as_cell(parent, node))
    return min(bridges) if bridges else None


def _as_cell(a, b):
    row, column = (a, b) if a[0] == "r" else (b, a)
    return (row[1], column[1])
