"""Disproportionality: concerns, referrals, triage decisions and interventions by sex, ethnicity,
age band and locality, against the child population (rates per 1,000 and the relative rate
index against the whole).

Only children are counted (under 18 at the time, date of birth known), since the population is
of children; each item is placed in the group its child was in (sex and ethnicity as the
partnership's records say now, the most recently recorded). The counts are suppressed like
every other figure, and the rates are worked only from the counts that are shown.
"""

import polars as pl

from saferoptions.analytics.disproportionality import population
from saferoptions.people.models import BROAD_ETHNIC_GROUPS, Sex

from . import selectors
from .build import counted, localities
from .figures import Figure
from .filters import AGE_BANDS, Filters
from .population import ChildPopulation, load

MEASURES = [("concerns", "Concerns raised"), ("decisions", "Triage decisions"),
            ("referrals", "Referrals to interventions"), ("interventions", "Interventions started")]
CHILD_BANDS = [band for band, (_, oldest) in AGE_BANDS.items() if oldest < 18]


def figures(filters: Filters) -> list[Figure]:
    return [build() for build in builders(filters).values()]


def builders(filters: Filters) -> dict:
    """Each figure's builder by key (a CSV builds only its own); the rows and the population
    are read once, on the first figure built."""
    read: dict = {}

    def made(figure):
        def build():
            if not read:
                read.update(frame=items(filters), children=load())
            return figure(read["frame"], filters, read["children"])
        return build
    return {"by_sex": made(by_sex), "by_ethnicity": made(by_ethnicity),
            "by_age": made(by_age), "by_locality": made(by_locality)}


def items(filters: Filters) -> pl.DataFrame:
    """One row per counted item (`col`: its measure) with its child's groups."""
    columns = ["person_id", "locality_id", "age", "sex", "ethnicity", "col"]
    parts = [
        selectors.concerns(filters).with_columns(pl.lit("concerns").alias("col")),
        selectors.concerns(filters, at="decided_at").filter(pl.col("outcome") != "")
        .with_columns(pl.lit("decisions").alias("col")),
        selectors.referrals(filters).with_columns(pl.lit("referrals").alias("col")),
        selectors.referrals(filters, at="started_at").with_columns(
            pl.lit("interventions").alias("col")),
    ]
    frame = pl.concat([p.select(columns) for p in parts], how="vertical_relaxed")
    return with_groups(frame.filter(pl.col("age").is_not_null() & (pl.col("age") < 18)))


def with_groups(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the keys the figures count by: `sex_key`, `ethnic_key`, `band_key`, `locality_key`."""
    band = pl.lit(None, dtype=pl.Utf8)
    for name, (youngest, oldest) in reversed(AGE_BANDS.items()):
        band = pl.when(pl.col("age").is_between(youngest, oldest)).then(pl.lit(name)) \
            .otherwise(band)
    # The broad group is the value's first word (people.models.broad_group, in Polars).
    head = pl.col("ethnicity").str.extract(r"^([a-z]+)_", 1)
    return frame.with_columns(
        pl.col("sex").fill_null(Sex.UNKNOWN).alias("sex_key"),
        pl.when(head.is_in(list(BROAD_ETHNIC_GROUPS))).then(head).otherwise(pl.lit("not"))
        .alias("ethnic_key"),
        band.alias("band_key"),
        pl.col("locality_id").cast(pl.Utf8).fill_null("none").alias("locality_key"))


def _where(filters: Filters) -> dict:
    where = {}
    if filters.locality is not None:
        where["locality"] = filters.locality.slug
    if filters.age:
        where["age_band"] = filters.age
    return where


def _figure(key: str, title: str, heading: str, frame: pl.DataFrame, row: str,
            groups: list[tuple[str, str]], filters: Filters, children: ChildPopulation,
            dimension: str, population_keys: list[str]) -> Figure:
    row_keys = [k for k, _ in groups]
    column_keys = [k for k, _ in MEASURES]
    frame = frame.with_columns(pl.col(row).alias("row"))
    figure = Figure(
        key=key, title=title,
        description="Children's concerns, triage decisions, referrals and interventions "
        f"started in the period by {heading.lower()}; each as a rate per 1,000 children in "
        "the group, and (in brackets) the relative rate index: the group's rate over the "
        "whole child population's (1.00 is in proportion).",
        row_heading=heading, rows=[label for _, label in groups],
        columns=[label for _, label in MEASURES],
        counts=counted(frame, row_keys, column_keys), row_keys=row_keys,
        column_keys=column_keys, frame=frame, chart="rates", row_totals=False,
        note="Only children are counted (under 18 at the time, with a known date of birth). "
        "A rate is not shown where its count is not.")
    if not children.known:
        figure.rates_note = children.problem
    elif filters.ward is not None:
        figure.rates_note = ("The child population is configured by locality, not ward: "
                             "no rates are shown for a ward.")
    else:
        where = _where(filters)
        figure.populations = population(children.cells, dimension, population_keys, where)
        figure.whole_population = sum(population(children.cells, "locality",
                                                 sorted({c[0] for c in children.cells}), where))
        figure.rates_note = (f"Child population: {children.source or 'configured'}"
                             f"{', ' + children.as_of if children.as_of else ''}.")
        figure.plain_columns = [("Children", figure.populations)]
    return figure


def by_sex(frame, filters, children) -> Figure:
    groups = [(value, label) for value, label in Sex.choices]
    return _figure("by_sex", "Disproportionality by sex", "Sex", frame, "sex_key", groups,
                   filters, children, "sex", [k for k, _ in groups])


def by_ethnicity(frame, filters, children) -> Figure:
    groups = list(BROAD_ETHNIC_GROUPS.items())
    return _figure("by_ethnicity", "Disproportionality by ethnicity", "Ethnic group", frame,
                   "ethnic_key", groups, filters, children, "ethnicity", [k for k, _ in groups])


def by_age(frame, filters, children) -> Figure:
    groups = [(band, f"Aged {band}") for band in CHILD_BANDS]
    return _figure("by_age", "Disproportionality by age", "Age band", frame, "band_key", groups,
                   filters, children, "age_band", CHILD_BANDS)


def by_locality(frame, filters, children) -> Figure:
    places = localities(filters)
    groups = [(str(loc.pk), loc.name) for loc in places]
    return _figure("by_locality", "Disproportionality by locality", "Locality", frame,
                   "locality_key", groups, filters, children, "locality",
                   [loc.slug for loc in places])
