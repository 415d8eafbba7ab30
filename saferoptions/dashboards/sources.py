"""Events for the Violence Reduction and Exploitation figures and the place forecast, read fast.

Still live: nothing outlives the request. Within one request each set of rows is read once
and kept on that request's `Filters` (the knife incidents feed four figures and the needs
assessment). The SQL narrows to what a figure counts (knife incidents by category or object,
exploitation categories, events with a located place), so a big city reads only the rows that
count, not every event of the period; rows come straight from the database cursor (no
per-row ORM conversion, which cost more than the query) and Polars types them. On PostgreSQL
each event's first subject is read in the same query (LATERAL) and the rows come as CSV
(COPY), with no Python object per value: what is left at 100,000 children is the database
visiting each event's row, scattered over the table. Where a figure needs no rows (the needs
assessment's missing episodes, the forecast's knife incidents per place and week) the
database counts them (GROUP BY) and hands back only the counts.

The frame is the one `selectors.events` gives (same columns and rules): one row per event,
with the first person it is about (never a reporter or witness) for age and locality.
"""

import io

import polars as pl
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    DateField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncWeek

from saferoptions.analytics.figures import in_period, narrowed, with_age, with_week
from saferoptions.core import clock
from saferoptions.events.models import Event, EventCategory, Involvement
from saferoptions.people.models import Identity, Person

from .filters import Filters
from .selectors import EVENT_SCHEMA, SUBJECT_ROLES, UTC

BASE = ("pk", "event_type", "category", "occurred_at", "place_id", "place__name",
        "place__ward_id", "place__ward__locality_id", "place__latitude", "place__longitude")
BASE_NAMES = ["id", "event_type", "category", "occurred_at", "place_id", "place_name",
              "ward_id", "place_locality_id", "lat", "lng"]
SUBJECT = ("event_id", "pk", "person_id", "person__date_of_birth", "identity__date_of_birth",
           "person__locality_id")
SUBJECT_NAMES = ["id", "involvement", "person_id", "person_born", "identity_born",
                 "person_locality_id"]


# Who each event is about: read for every event, only for events with no place recorded
# (whose locality is the child's home), or not at all.
ALL, PLACELESS, NONE = "all", "placeless", "none"


def events(filters: Filters, types=None, *, knife: bool = False, categories=(),
           placed: bool = False, people: bool = True,
           people_for_drill: bool = False) -> pl.DataFrame:
    """Events of `types` (all when None) in the period; only knife incidents (category or a
    knife object) with `knife`, only `categories` if given, only located places with `placed`.
    With `people=False` who each event is about is not read (no person, age or the person's
    locality): for counts by place alone. With `people_for_drill` they are read only where a
    drill-down may need them: a first view that only counts (`filters.counting`) reads them
    just for the events with no place, for their locality. An age filter always reads them all;
    a locality or ward filter at least those with no place."""
    who = _who(filters, people, people_for_drill)
    key = ("events", tuple(types or ()), knife, tuple(categories), placed, who)
    if key not in filters.frames:
        filters.frames[key] = _events(filters, types, knife, categories, placed, who)
    return filters.frames[key]


def _who(filters: Filters, people: bool, for_drill: bool) -> str:
    if filters.ages or (people and not (for_drill and filters.counting)):
        return ALL
    if people or filters.locality or filters.ward:
        return PLACELESS
    return NONE


def per_locality(filters: Filters, types) -> dict:
    """How many events of `types` in the period per locality ({locality id: n}; no age
    filter): counted in the database, for a figure with no drill-down. The locality is the
    rows' (`events`): the place's, else the first subject's home locality; a ward filter is
    the place's ward."""
    if filters.ages:
        raise ValueError("ages: an age band is counted from the rows (sources.events)")
    subject = Involvement.objects.filter(event=OuterRef("pk"), role__in=SUBJECT_ROLES)
    chosen = Event.objects.filter(occurred_at__gte=filters.start, occurred_at__lt=filters.end,
                                  event_type__in=list(types)).annotate(
        locality=Coalesce("place__ward__locality_id",
                          Subquery(subject.order_by("pk").values("person__locality_id")[:1]),
                          output_field=BigIntegerField()))
    if filters.locality is not None:
        chosen = chosen.filter(locality=filters.locality.pk)
    if filters.ward is not None:
        chosen = chosen.filter(place__ward_id=filters.ward.pk)
    return dict(chosen.order_by().values_list("locality").annotate(n=Count("pk")))


def knife_per_place_and_week(filters: Filters, *, leaving_out=()) -> pl.DataFrame:
    """Knife incidents at a located place in the period, not of the types `leaving_out`,
    counted in the database per place (`lat`, `lng`) and local week (`week`, its Monday):
    column `n`. For the place forecast, which needs nothing else of them. No locality, ward
    or age filter (the forecast is city-wide)."""
    if filters.locality or filters.ward or filters.ages:
        raise ValueError("filters: counts per place and week are city-wide")
    chosen = Event.objects.filter(
        Q(category=EventCategory.KNIFE) | Q(knife_among_objects=True),
        occurred_at__gte=filters.start, occurred_at__lt=filters.end,
        place__latitude__isnull=False, place__longitude__isnull=False,
    ).exclude(event_type__in=list(leaving_out))
    # The week truncated in local time (Monday 00:00, summer time included), so both
    # databases place an event in the week `with_week` gives it.
    week = TruncWeek("occurred_at", tzinfo=clock.LOCAL, output_field=DateField())
    rows = chosen.order_by().annotate(week=week).values_list(
        "place__latitude", "place__longitude", "week").annotate(n=Count("pk"))
    frame = pl.DataFrame(list(rows), schema={"lat": pl.Float64, "lng": pl.Float64,
                                             "week": pl.Date, "n": pl.Int64}, orient="row")
    return frame.filter(pl.col("week").is_in(filters.weeks))


def _events(filters, types, knife, categories, placed, who=ALL) -> pl.DataFrame:
    chosen = Event.objects.filter(occurred_at__gte=filters.start, occurred_at__lt=filters.end)
    if types is not None:
        chosen = chosen.filter(event_type__in=list(types))
    if knife:  # two indexed conditions: the category's, and the knife flag's partial index
        chosen = chosen.filter(Q(category=EventCategory.KNIFE) | Q(knife_among_objects=True))
    if categories:
        chosen = chosen.filter(category__in=list(categories))
    if placed:
        chosen = chosen.filter(place__latitude__isnull=False, place__longitude__isnull=False)
    frame = _with_subjects(chosen.values_list(*BASE, "knife_among_objects"), who).with_columns(
        pl.coalesce("person_born", "identity_born").alias("date_of_birth"),
        # Where it happened decides the locality; with no place known, where the child lives.
        pl.coalesce("place_locality_id", "person_locality_id").alias("locality_id"),
    ).select(*EVENT_SCHEMA, "locality_id")
    frame = with_week(with_age(frame, "occurred_at"), "occurred_at")
    frame = in_period(frame, "occurred_at", filters.start, filters.end)
    return narrowed(frame, locality_id=_pk(filters.locality), ward_id=_pk(filters.ward),
                    ages=filters.ages)


def _with_subjects(rows, who: str) -> pl.DataFrame:
    """The events' rows, each with its first subject's fields where `who` says to read them
    (nulls elsewhere)."""
    names = [*BASE_NAMES, "knife"]
    if who != NONE and connection.vendor == "postgresql":
        return _read_lateral(rows, names, placeless_only=who == PLACELESS)
    base = _read(rows, names)
    involvements = Involvement.objects.filter(event_id__in=rows.values("pk"),
                                              role__in=SUBJECT_ROLES)
    if who == PLACELESS:
        involvements = involvements.filter(event__place__isnull=True)
    subjects = _read(involvements.values_list(*SUBJECT), SUBJECT_NAMES) if who != NONE else \
        pl.DataFrame(schema={name: TYPES[name] for name in SUBJECT_NAMES})
    first = subjects.sort("involvement").group_by("id", maintain_order=True).first()
    return base.join(first, on="id", how="left")


def _read_lateral(rows, names: list[str], *, placeless_only: bool = False) -> pl.DataFrame:
    """On PostgreSQL, each event's first subject in the same query, by a LATERAL join (one
    probe of the involvements' event index per event). Read as a second query, PostgreSQL
    hashed the whole involvement and identity tables for it (1M and 456k rows on the
    100,000-child city): 0.9-1.4 s a set of events, against 0.5 s for the whole read here.
    With `placeless_only` an event with a place skips the probe (a one-time filter): the
    probes were 40-70% of a first view's read of knife incidents and stop-searches."""
    sql, params = rows.query.sql_with_params()
    only = 'AND base."place_id" IS NULL ' if placeless_only else ""
    involvement, person = Involvement._meta.db_table, Person._meta.db_table
    identity = Identity._meta.db_table
    roles = ", ".join(["%s"] * len(SUBJECT_ROLES))
    # Only table names (from the models) and Django's own SQL are formatted in; values are
    # parameters.
    sql = (f'SELECT base.*, subject.* FROM ({sql}) base LEFT JOIN LATERAL ('  # noqa: S608
           f'SELECT i.id, i.person_id, p.date_of_birth, n.date_of_birth, p.locality_id '
           f'FROM "{involvement}" i LEFT JOIN "{person}" p ON p.id = i.person_id '
           f'LEFT JOIN "{identity}" n ON n.id = i.identity_id '
           f'WHERE i.event_id = base."pk" {only}AND i.role IN ({roles}) ORDER BY i.id LIMIT 1'
           f') subject ON TRUE')
    return _typed_rows(sql, (*params, *SUBJECT_ROLES), [*names, *SUBJECT_NAMES[1:]])


def _pk(obj):
    return obj.pk if obj is not None else None


TYPES = {"id": pl.Int64, "event_type": pl.Utf8, "category": pl.Utf8, "occurred_at": UTC,
         "place_id": pl.Int64, "place_name": pl.Utf8, "ward_id": pl.Int64,
         "place_locality_id": pl.Int64, "lat": pl.Float64, "lng": pl.Float64,
         "involvement": pl.Int64, "person_id": pl.Int64, "person_born": pl.Date,
         "identity_born": pl.Date, "person_locality_id": pl.Int64, "knife": pl.Boolean}


def _read(rows, names: list[str]) -> pl.DataFrame:
    """A values_list query's rows from the cursor, typed by Polars.

    SQLite hands back dates and times as text (UTC, as Django stores them), PostgreSQL as
    Python objects: both become the same Polars types.
    """
    sql, params = rows.query.sql_with_params()
    return _typed_rows(sql, params, names)


def _typed_rows(sql: str, params, names: list[str]) -> pl.DataFrame:
    if connection.vendor == "postgresql":
        frame = _copied(sql, params, names)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            data = cursor.fetchall()
        frame = pl.DataFrame(data, schema=names, orient="row", infer_schema_length=None)
    return frame.with_columns(_typed(frame, name) for name in names)


def _copied(sql: str, params, names: list[str]) -> pl.DataFrame:
    """On PostgreSQL the rows come as CSV text (COPY), parsed by Polars: a Python object per
    value (psycopg's time zone-aware datetimes above all) cost as much as the query, 0.8 s for
    the 25,000 stop-searches of 12 weeks on the 100,000-child city. Every column is read as
    text and typed below, as SQLite's are; a null is an empty field, an empty text a quoted
    one."""
    buffer = io.BytesIO()
    with connection.cursor() as cursor, \
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT CSV)", params) as copy:
        for block in copy:
            buffer.write(block)
    if not buffer.tell():
        return pl.DataFrame(schema={name: pl.Utf8 for name in names})
    buffer.seek(0)
    return pl.read_csv(buffer, has_header=False, new_columns=names, infer_schema=False)


def _typed(frame: pl.DataFrame, name: str) -> pl.Expr:
    want, have = TYPES[name], frame.schema[name]
    column = pl.col(name)
    if have == pl.Utf8 and want == UTC:
        # PostgreSQL's text ends with the session's offset, always +00 (Django sets UTC).
        return column.str.replace(r"\+00$", "").str.to_datetime(
            "%Y-%m-%d %H:%M:%S%.f", time_zone="UTC", time_unit="us")
    if have == pl.Utf8 and want == pl.Boolean:
        return column.is_in(["t", "1"])
    if have == pl.Utf8 and want == pl.Date:
        return column.str.to_date("%Y-%m-%d")
    if isinstance(have, pl.Datetime) and want == UTC:
        return (column.dt.replace_time_zone("UTC") if have.time_zone is None
                else column.dt.convert_time_zone("UTC")).dt.cast_time_unit("us")
    return column.cast(want)
