"""The hot-spot page: ED assault attendances and police incidents on H3 hexagons.

Aggregates only: events are read as coordinates of their place and a time, never with the
people in them, and every count shown is suppressed when small.

Differencing: with free dates and hours, two views (20:00 to 23:00, then 21:00 to 23:00) could
be subtracted to learn one incident at one place in one hour, however each count is
suppressed. So a reader the policy does not let read the incidents themselves
(`policy.exact_counts`) gets dates in whole weeks and hours in the table's four-hour bands,
and every count (each hexagon, each cell and each total, the method's too) rounded to the
nearest 5 with 1 to 4 as "fewer than 5" (`analytics.suppression.round_count`).
"""

import datetime as dt
from dataclasses import dataclass, field

import h3
import polars as pl
from django.conf import settings
from django.db import transaction

from saferoptions.access import policy
from saferoptions.analytics.errors import AnalyticsInputError
from saferoptions.analytics.hotspots import CityBounds, find_hotspots
from saferoptions.analytics.suppression import (
    SECONDARY,
    round_count,
    round_table,
    suppress_count,
    suppress_table,
)
from saferoptions.audit.services import record
from saferoptions.core.models import Ward
from saferoptions.core.queues import Filter, QueueQuery, read_query
from saferoptions.core.wards import ward_names
from saferoptions.events.models import Event

from .models import Place
from .svg import Projection, convex_hull

# The hexagon table lists every hexagon drawn, a page at a time, strongest clustering first;
# the filters go from page to page in the address with it.
HEXAGON_ORDER = (("strength", "Strongest clustering first"),)
KEPT_FILTERS = ("date_from", "date_to", "hour_from", "hour_to")
CHECKBOX_FILTERS = ("weekdays", "event_types")
# Hours in bands of four for the day-and-time table: hourly counts would be mostly suppressed.
BANDS = [(0, 4), (4, 8), (8, 12), (12, 16), (16, 20), (20, 24)]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass
class HotspotPage:
    """What the page shows: hexagons, place points, the outline, tables and the method."""

    hexagons: list = field(default_factory=list)
    places: list = field(default_factory=list)
    outline: str = ""
    height: int = 0
    rows: list = field(default_factory=list)
    by_time: object = None
    method: dict = field(default_factory=dict)
    events: object = 0
    error: str = ""
    # False for readers of aggregates only: counts rounded, filters widened to bands.
    exact: bool = True
    widened: str = ""


def _events(filters: dict) -> pl.DataFrame:
    types = filters.get("event_types") or settings.CONTEXTS_HOTSPOT_EVENT_TYPES
    rows = Event.objects.filter(event_type__in=types, place__isnull=False)
    if filters.get("date_from"):
        rows = rows.filter(occurred_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        rows = rows.filter(occurred_at__date__lte=filters["date_to"])
    data = list(rows.values_list("place__latitude", "place__longitude", "occurred_at"))
    frame = pl.DataFrame(data, orient="row", schema={
        "lat": pl.Float64, "lng": pl.Float64, "occurred_at": pl.Datetime("us", "UTC")})
    return _by_time_of_week(frame, filters)


def _by_time_of_week(frame: pl.DataFrame, filters: dict) -> pl.DataFrame:
    local = pl.col("occurred_at").dt.convert_time_zone(settings.TIME_ZONE)
    if filters.get("weekdays"):
        frame = frame.filter(local.dt.weekday().is_in([int(d) for d in filters["weekdays"]]))
    start, end = filters.get("hour_from"), filters.get("hour_to")
    if start is not None and end is not None:
        hour = local.dt.hour()
        # 20 to 3 is the night: the hours wrap past midnight.
        kept = hour.is_between(start, end) if start <= end else (hour >= start) | (hour <= end)
        frame = frame.filter(kept)
    return frame


def _bounds() -> CityBounds:
    return CityBounds(**settings.CONTEXTS_CITY_BOX)


def hotspot_page(*, user, filters: dict) -> HotspotPage:
    """Run Gi* over the filtered events and lay out the map and its table alternative."""
    with transaction.atomic():
        types = filters.get("event_types") or settings.CONTEXTS_HOTSPOT_EVENT_TYPES
        exact = policy.exact_counts(user, event_types=types)
        if not exact:
            filters = banded(filters)
        frame = _events(filters)
        page = _layout(frame, Counter(exact))
        page.widened = "" if exact else widened_words(filters)
        _outreach_here(page, user)
        record(actor=user, action="view", object_type="hotspots",
               detail={"filters": {k: str(v) for k, v in filters.items() if v},
                       "events": frame.height})
    return page


@dataclass(frozen=True)
class Counter:
    """How this reader's counts are shown: suppressed (exact readers) or rounded."""

    exact: bool

    @property
    def threshold(self) -> int:
        return settings.CONTEXTS_SUPPRESSION_THRESHOLD

    def count(self, value: int):
        return (suppress_count if self.exact else round_count)(value, self.threshold)

    def table(self, counts):
        return (suppress_table if self.exact else round_table)(counts, self.threshold)


def banded(filters: dict) -> dict:
    """The filters widened to whole weeks (Monday to Sunday) and four-hour bands, so that
    the views a reader of aggregates can ask for never differ by a day or an hour."""
    found = dict(filters)
    if found.get("date_from"):
        found["date_from"] -= dt.timedelta(days=found["date_from"].weekday())
    if found.get("date_to"):
        # The last week of the calendar (31/12/9999 is a Friday) ends with the calendar.
        end = found["date_to"]
        found["date_to"] = end + min(dt.timedelta(days=6 - end.weekday()), dt.date.max - end)
    start, end = found.get("hour_from"), found.get("hour_to")
    if start is not None and end is not None:
        if start > end and start // 4 == end // 4:
            start, end = None, None  # 6 to 5 wraps round the whole day
        else:
            start, end = start // 4 * 4, end // 4 * 4 + 3
        found["hour_from"], found["hour_to"] = start, end
    return found


def widened_words(filters: dict) -> str:
    """What a banded view covers, in words, when the reader asked for dates or hours."""
    parts = []
    first, last = filters.get("date_from"), filters.get("date_to")
    if first or last:
        parts.append(f"{_day(first) if first else 'the start'} to "
                     f"{_day(last) if last else 'today'}")
    if filters.get("hour_from") is not None:
        parts.append(f"{filters['hour_from']:02d}:00 to {(filters['hour_to'] + 1) % 24:02d}:00")
    return ", ".join(parts)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _layout(frame: pl.DataFrame, counter: Counter) -> HotspotPage:
    bounds = _bounds()
    points = _outline_points()
    projection = _projection(bounds, points)
    page = HotspotPage(height=projection.height, outline=_outline(projection, points),
                       places=_places(projection), exact=counter.exact)
    threshold = counter.threshold
    page.events = counter.count(frame.height)
    try:
        result = find_hotspots(frame, bounds=bounds, resolution=settings.H3_RESOLUTION,
                               k=settings.CONTEXTS_HOTSPOT_K,
                               alpha=settings.CONTEXTS_HOTSPOT_ALPHA,
                               correction=settings.CONTEXTS_HOTSPOT_CORRECTION)
    except AnalyticsInputError as error:
        page.error = f"{error.field}: {error.reason}"
        return page
    # The method names how many events went in: the same figure as the total, shown alike.
    page.method = {**result.method, "events": page.events}
    cells = result.by_cell.filter((pl.col("events") > 0) | pl.col("hot_spot")
                                  | pl.col("cold_spot")).sort("gi_z", descending=True)
    names = _place_names()
    wards = ward_names(cells.get_column("cell").to_list())
    for row in cells.iter_rows(named=True):
        shown = _cell(row, projection, names, threshold)
        shown["events"] = counter.count(int(row["events"]))
        if not counter.exact:
            # Gi* z and p are worked from exact counts: a hexagon with quiet neighbours has a
            # z in step with its own count, so the steps between them would count its events.
            shown["gi_z"] = shown["p_value"] = NOT_SHOWN
        shown["ward"] = wards.get(row["cell"], "Outside the wards")
        page.hexagons.append(shown)
    if counter.exact:
        # Rounded counts need no more: every hexagon and the total are rounded on their own.
        _secondary(page.hexagons, cells.get_column("events").to_list(), threshold)
    page.rows = page.hexagons
    page.by_time = _time_table(result.by_time, counter)
    return page


def table_query(params, form) -> QueueQuery:
    """The page of the hexagon table asked for, with the map's filters kept in its links."""
    many = [Filter(name, str(form.fields[name].label), tuple(form.fields[name].choices),
                   many=True) for name in CHECKBOX_FILTERS]
    return read_query(params, sorts=HEXAGON_ORDER, filters=many, keep=KEPT_FILTERS)


NOT_SHOWN = "not shown"
# A significant Gi* cluster is a hot spot only where the hexagon is itself busy
# (analytics.hotspots): the quiet edge of a cluster says so rather than "not significant".
KIND_LABELS = {"hot": "Hot spot", "cold": "Cold spot",
               "cluster": "In a significant cluster, but few events here",
               "none": "Not significant"}


def _cell(row: dict, projection: Projection, names: dict, threshold: int) -> dict:
    ring = h3.cell_to_boundary(row["cell"])
    kind = ("hot" if row["hot_spot"] else "cold" if row["cold_spot"]
            else "cluster" if row.get("cluster") else "none")
    return {"cell": row["cell"], "points": projection.path(ring), "kind": kind,
            "label": KIND_LABELS[kind],
            "events": suppress_count(int(row["events"]), threshold),
            "gi_z": round(float(row["gi_z"]), 2), "p_value": _p(float(row["p_value"])),
            "places": ", ".join(p.name for p in names.get(row["cell"], [])) or "-",
            "known": names.get(row["cell"], []), "outreach": []}


def _p(value: float) -> str:
    """A p-value as a reader can use it: 'below 0.0001', not the rounded '0.0' of every hot spot."""
    return "below 0.0001" if value < 0.0001 else f"{value:.4f}"


def _outreach_here(page: HotspotPage, user) -> None:
    """A hot spot's known places where the user may schedule outreach: only with the duty
    the session form asks for, and only places that form offers them (their own locality's,
    or any for a city-wide user), so the link never leads to a refusal."""
    if not policy.has_duty(user, "schedule_outreach"):
        return
    for row in page.hexagons:
        if row["kind"] == "hot":
            row["outreach"] = [p for p in row["known"]
                               if user.locality_id is None or p.locality_id == user.locality_id]


def _secondary(hexagons: list, counts: list, threshold: int) -> None:
    """With the total published, one hidden cell could be worked out: hide one more."""
    hidden = [i for i, c in enumerate(counts) if 0 < c < threshold]
    if len(hidden) != 1:
        return
    others = [(c, i) for i, c in enumerate(counts) if c >= threshold]
    if others:
        hexagons[min(others)[1]]["events"] = SECONDARY


@dataclass(frozen=True)
class KnownPlace:
    pk: int
    name: str
    locality_id: int | None


def _place_names() -> dict[str, list[KnownPlace]]:
    names: dict[str, list[KnownPlace]] = {}
    for cell, pk, name, locality_id in Place.objects.order_by("name", "pk").values_list(
            "h3_cell", "pk", "name", "ward__locality_id"):
        names.setdefault(cell, []).append(KnownPlace(pk, name, locality_id))
    return names


def _places(projection: Projection) -> list:
    rows = Place.objects.values_list("name", "latitude", "longitude")
    return [{"name": n, "xy": projection.point(a, b)} for n, a, b in rows]


def _outline_points() -> list:
    wards = Ward.objects.values_list("latitude", "longitude")
    places = Place.objects.values_list("latitude", "longitude")
    return list(wards) + list(places)


def _projection(bounds: CityBounds, points: list) -> Projection:
    """The drawn area: the wards and places with a margin, never beyond the city box."""
    if len(points) < 3:
        return Projection(bounds.min_lat, bounds.min_lng, bounds.max_lat, bounds.max_lng)
    lats, lngs = [p[0] for p in points], [p[1] for p in points]
    pad = 0.01
    return Projection(max(bounds.min_lat, min(lats) - pad), max(bounds.min_lng, min(lngs) - pad),
                      min(bounds.max_lat, max(lats) + pad), min(bounds.max_lng, max(lngs) + pad))


def _outline(projection: Projection, points: list) -> str:
    """The city outline: the convex hull of the wards' centres and the known places."""
    hull = convex_hull(points)
    if len(hull) < 3:
        p = projection
        hull = [(p.min_lat, p.min_lng), (p.min_lat, p.max_lng), (p.max_lat, p.max_lng),
                (p.max_lat, p.min_lng)]
    return projection.path(hull)


def _time_table(by_time: pl.DataFrame, counter: Counter):
    counts = [[0] * len(BANDS) for _ in DAYS]
    for row in by_time.iter_rows(named=True):
        band = next(i for i, (a, b) in enumerate(BANDS) if a <= row["hour"] < b)
        counts[row["weekday"] - 1][band] += int(row["events"])
    table = counter.table(counts)
    rows = [(DAYS[i], cells, table.row_totals[i]) for i, cells in enumerate(table.cells)]
    headers = [f"{a:02d}:00 to {b:02d}:00" for a, b in BANDS]
    return {"headers": headers, "rows": rows, "totals": table.column_totals,
            "grand": table.grand_total}
