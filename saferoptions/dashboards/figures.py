"""A figure on a dashboard: a table of counts, shown only after small-number suppression.

Every count that leaves need-to-know goes through `governance.publish.table` (primary
suppression below the threshold, secondary so no hidden cell can be worked out from the
totals). The table, its chart and its CSV are all drawn from the suppressed values, so no
view of a figure shows more than another.
"""

import io
from dataclasses import dataclass, field

import polars as pl
from django.conf import settings

from saferoptions.core.exports import csv_writer
from saferoptions.governance import publish

from . import charts


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
    # Off where adding across a row means nothing (children and episodes side by side).
    row_totals: bool = True

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

    @property
    def table_rows(self) -> list[dict]:
        f = self.figure
        keys = f.row_keys or [None] * len(f.rows)
        plain = [[values[i] for _, values in f.plain_columns] for i in range(len(f.rows))]
        return [{"label": label, "key": key, "plain": plain[i],
                 "cells": list(zip(self.cells[i], f.column_keys or [None] * len(f.columns),
                                   strict=True)),
                 "total": self.row_totals[i]}
                for i, (label, key) in enumerate(zip(f.rows, keys, strict=True))]

    def svg(self) -> dict:
        f = self.figure
        if f.chart == "rows":
            return charts.bar_chart(f.rows, self.row_totals)
        return charts.bar_chart(f.columns, self.column_totals)


def show(figure: Figure) -> Shown:
    table = publish.table(figure.counts)
    return Shown(figure, table.cells, table.row_totals, table.column_totals, table.grand_total)


def cell_value(figure: Figure, row_key, column_key):
    """The suppressed value of one cell, as the dashboard shows it (None: no such cell)."""
    keys_r = [str(k) for k in figure.row_keys]
    keys_c = [str(k) for k in figure.column_keys]
    if str(row_key) not in keys_r or str(column_key) not in keys_c:
        return None
    shown = show(figure)
    return shown.cells[keys_r.index(str(row_key))][keys_c.index(str(column_key))]


def csv_text(shown: Shown, described: dict) -> str:
    """The figure's suppressed table as CSV, through the project's safe writer."""
    out = io.StringIO()
    writer = csv_writer(out)
    f = shown.figure
    writer.writerow([f.title])
    writer.writerow(["Filters"] + [f"{k}={v}" for k, v in described.items()])
    writer.writerow([f.row_heading, *[h for h, _ in f.plain_columns], *f.columns, "Total"])
    for i, label in enumerate(f.rows):
        plain = [values[i] for _, values in f.plain_columns]
        writer.writerow([label, *plain, *shown.cells[i], shown.row_totals[i]])
    blanks = [""] * len(f.plain_columns)
    writer.writerow(["Total", *blanks, *shown.column_totals, shown.grand_total])
    writer.writerow([f"Counts below {publish_threshold()} are shown as <{publish_threshold()}; "
                     "* hides a count that could otherwise be worked out from the totals."])
    return out.getvalue()


def publish_threshold() -> int:
    return settings.SMALL_NUMBER_THRESHOLD
