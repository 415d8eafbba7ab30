"""A figure on a dashboard: a table of counts, shown only after small-number suppression.

Every count that leaves need-to-know goes through `governance.publish.table` (primary
suppression below the threshold, secondary so no hidden cell can be worked out from the
totals). The table, its chart and its CSV are all drawn from the suppressed values, so no
view of a figure shows more than another.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.conf import settings

from saferoptions.analytics import disproportionality
from saferoptions.analytics.disproportionality import NOT_SHOWN
from saferoptions.analytics.suppression import round_table
from saferoptions.core.exports import csv_writer, xlsx_bytes
from saferoptions.governance import publish

from . import charts, maps


@dataclass
class Figure:
    """Counts by row and column; `frame` keeps the rows behind each cell for drill-downs."""

    key: str
    title: str
    description: str
    row_heading: str
    rows: list[str]
    columns: list[str]
    counts: list[list[int]]
    row_keys: list = field(default_factory=list)
    column_keys: list = field(default_factory=list)
    chart: str = "columns"  # bars of the column totals ("columns") or of the row totals
    frame: pl.DataFrame | None = None  # with `row`, `col` and `person_id`: drill-down allowed
    note: str = ""
    # Figures that are not about people (places a programme offers): shown as they are.
    plain_columns: list[tuple[str, list]] = field(default_factory=list)
    # Columns worked from the counts as shown (an on-time share, "full"): given the Shown,
    # so a rounded reader's are worked from rounded counts. After `plain_columns`.
    derived_columns: Callable[["Shown"], list[tuple[str, list]]] | None = None
    # Off where adding across a row means nothing (children and episodes side by side).
    row_totals: bool = True
    # Disproportionality: the children in each row's group and in the whole (None: no rates),
    # and why there are none where there are not.
    populations: list | None = None
    whole_population: int | None = None
    rates_note: str = ""
    # Rows about places (the busiest places, hot spots): each row's place ids, and its label
    # given the names of them the reader may list. Until `places.name_rows` names them per
    # reader through the access policy, every label is the one with no name.
    row_places: list[list[int]] = field(default_factory=list)
    place_label: Callable[[int, list[str]], str] | None = None

    @property
    def drillable(self) -> bool:
        return self.frame is not None


@dataclass
class Shown:
    """A figure as it may be shown: every count suppressed."""

    figure: Figure
    cells: list[list]
    row_totals: list
    column_totals: list
    grand_total: object
    rounded: bool = False  # to the nearest 5 for a reader of aggregates (see the module)

    @property
    def plain_columns(self) -> list[tuple[str, list]]:
        f = self.figure
        return [*f.plain_columns, *(f.derived_columns(self) if f.derived_columns else [])]

    @property
    def headline(self) -> list[tuple[str, object]]:
        """The figure at a glance, from its shown (suppressed) totals: the total where adding
        across a row means something, else each column's total."""
        if self.figure.row_totals:
            return [("Total", self.grand_total)]
        return list(zip(self.figure.columns, self.column_totals, strict=True))

    @property
    def table_rows(self) -> list[dict]:
        f = self.figure
        keys = f.row_keys or [None] * len(f.rows)
        columns = self.plain_columns
        plain = [[values[i] for _, values in columns] for i in range(len(f.rows))]
        rates = self.rate_rows or [[] for _ in range(len(f.rows) + 1)]
        return [{"label": label, "key": key, "plain": plain[i], "rates": rates[i],
                 "cells": list(zip(self.cells[i], f.column_keys or [None] * len(f.columns),
                                   strict=True)),
                 "total": self.row_totals[i]}
                for i, (label, key) in enumerate(zip(f.rows, keys, strict=True))]

    @property
    def rates(self) -> dict | None:
        """Per 1,000 children and relative rate index, worked from the shown counts only."""
        f = self.figure
        if f.populations is None:
            return None
        return disproportionality.rate_table(self.cells, self.column_totals, f.populations,
                                             f.whole_population)

    @property
    def total_rates(self) -> list[str]:
        rows = self.rate_rows
        return rows[-1] if rows else []

    @property
    def rate_rows(self) -> list[list[str]]:
        """Each row's "rate (index)" per column, then the whole's, as the table shows them."""
        rates = self.rates
        if rates is None:
            return []
        rows = [[_rate_text(r, i) for r, i in zip(rs, ix, strict=True)]
                for rs, ix in zip(rates["rates"], rates["indexes"], strict=True)]
        return [*rows, [_rate_text(r, 1.0 if isinstance(r, float) else "") for r in
                        rates["whole"]]]

    def ward_map(self, column: int = 0) -> dict:
        """The map of one column of a figure by ward (chart "map"): row keys are ward codes."""
        f = self.figure
        drawn = maps.ward_map([(key, label, self.cells[i][column]) for i, (key, label) in
                               enumerate(zip(f.row_keys, f.rows, strict=True))])
        return {**drawn, "column": f.columns[column], "key": f"{f.key}-{column}"}

    def ward_maps(self) -> list[dict]:
        """A map per column, each shaded by its own suppressed values."""
        return [self.ward_map(c) for c in range(len(self.figure.columns))]

    def svg(self) -> dict:
        f = self.figure
        if f.chart == "rates":
            rates = self.rates
            values = [r[0] for r in rates["rates"]] if rates else [NOT_SHOWN] * len(f.rows)
            return charts.bar_chart(f.rows, values)
        if f.chart == "rows":
            return charts.bar_chart(f.rows, self.row_totals)
        return charts.bar_chart(f.columns, self.column_totals)


def _rate_text(rate, index) -> str:
    if not isinstance(rate, float):
        return rate
    return f"{rate:.1f} ({index:.2f})" if isinstance(index, float) else f"{rate:.1f}"


def show(figure: Figure, *, exact: bool) -> Shown:
    """The figure as this reader may see it: suppressed (exact readers) or rounded."""
    if exact:
        table = publish.table(figure.counts)
    else:
        table = round_table(figure.counts, publish_threshold())
    return Shown(figure, table.cells, table.row_totals, table.column_totals, table.grand_total,
                 rounded=not exact)


def cell_value(figure: Figure, row_key, column_key, *, exact: bool):
    """The value of one cell, as the dashboard shows it to this reader (None: no such cell)."""
    keys_r = [str(k) for k in figure.row_keys]
    keys_c = [str(k) for k in figure.column_keys]
    if str(row_key) not in keys_r or str(column_key) not in keys_c:
        return None
    shown = show(figure, exact=exact)
    return shown.cells[keys_r.index(str(row_key))][keys_c.index(str(column_key))]


def export_rows(shown: Shown, described: dict) -> list[list]:
    """The figure's table as shown, as rows for a file: title, filters, table, notes."""
    f = shown.figure
    columns = shown.plain_columns
    rows = [[f.title], ["Filters"] + [f"{k}={v}" for k, v in described.items()]]
    rates = shown.rate_rows
    rate_heads = [f"{c} per 1,000 (index)" for c in f.columns] if rates else []
    rows.append([f.row_heading, *[h for h, _ in columns], *f.columns, "Total",
                 *rate_heads])
    for i, label in enumerate(f.rows):
        plain = [values[i] for _, values in columns]
        rows.append([label, *plain, *shown.cells[i], shown.row_totals[i],
                     *(rates[i] if rates else [])])
    blanks = [""] * len(columns)
    rows.append(["Total", *blanks, *shown.column_totals, shown.grand_total,
                 *(rates[-1] if rates else [])])
    if f.rates_note:
        rows.append([f.rates_note])
    rows.append([notes_line(shown)])
    return rows


def notes_line(shown: Shown) -> str:
    """What the figures' marks mean, in the words the page uses."""
    n = publish_threshold()
    if shown.rounded:
        return (f"Counts are rounded to the nearest 5, and 1 to {n - 1} are shown as 'fewer "
                f"than {n}', so that two periods or two downloads cannot be subtracted to "
                "find a small number. Each total is rounded on its own, so totals may not "
                "add up; rates and percentages are worked from the rounded counts.")
    return (f"Counts below {n} are shown as <{n}; "
            "* hides a count that could otherwise be worked out from the totals.")


def csv_text(shown: Shown, described: dict) -> str:
    """The figure's suppressed table as CSV, through the project's safe writer."""
    out = io.StringIO()
    csv_writer(out).writerows(export_rows(shown, described))
    return out.getvalue()


def xlsx(shown: Shown, described: dict) -> bytes:
    """The same rows as one XLSX sheet, every cell made formula-safe (core.exports)."""
    title, *rows = export_rows(shown, described)
    return xlsx_bytes(title, rows, title=shown.figure.key[:31])


def publish_threshold() -> int:
    return settings.SMALL_NUMBER_THRESHOLD
