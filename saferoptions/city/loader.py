"""Write a generated City into the database quickly, and remove it again.

Rows go in with ids chosen here (after the highest existing id), so events can point at their
identities without a round trip; PostgreSQL gets COPY, SQLite batched INSERTs. Identities go
in with no person: linkage decides who is who. No truth (true keys, risk, groups) is written.
Removal (for `--replace`) is in `removal.py`.
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice

import h3
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from saferoptions.contexts.models import Place, School
from saferoptions.core import clock
from saferoptions.core.models import Agency, Ward
from saferoptions.events.models import KNIFE_KINDS, Event, EventObject, Involvement
from saferoptions.people.models import Identity, Relationship

from . import records
from .models import SyntheticCity

BATCH = 5_000


def key(model) -> str:
    return model._meta.label_lower


def _first_id(model) -> int:
    return (model._default_manager.aggregate(top=Max("id"))["top"] or 0) + 1


class Writer:
    """Appends rows to one table: the columns given, plus each other field's default."""

    def __init__(self, model, columns: list[str]):
        self.model = model
        self.table = model._meta.db_table
        self.names = ["id", *columns]
        others = [f for f in model._meta.concrete_fields if f.attname not in self.names]
        self.names += [f.column for f in others]
        # Fields added later by other areas still get their defaults.
        self.tail = tuple(_default_for(f) for f in others)

    def write(self, rows: Iterable[tuple]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.names)
        tail = self.tail
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.table)} ({columns}) FROM STDIN") as cp:
                    for row in rows:
                        cp.write_row(row + tail)
                return
            marks = ", ".join(["%s"] * len(self.names))
            sql = f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})"  # noqa: S608
            for chunk in _chunks((row + tail for row in rows), BATCH):
                cursor.executemany(sql, chunk)


def _chunks(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _default_for(field):
    """A field's default as this database stores it; creation times read the project's clock."""
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        return moment(clock.now())
    value = field.get_default()
    if isinstance(value, datetime):
        return moment(value)
    return field.get_db_prep_save(value, connection)


def moment(value: datetime | None):
    """A timezone-aware datetime as the database expects it (SQLite: naive UTC text, as Django)."""
    if value is None or connection.vendor == "postgresql":
        return value
    return str(value.astimezone(UTC).replace(tzinfo=None))


def load_city(city: records.City,
              progress: Callable[[str], None] = lambda _m: None) -> SyntheticCity:
    """Write `city` into the database in one transaction and record it as the loaded city."""
    with transaction.atomic():
        ids = {m: _first_id(m) for m in (Place, School, Identity, Event, Involvement,
                                         EventObject, Relationship)}
        agencies = dict(Agency.objects.values_list("slug", "id"))
        wards = dict(Ward.objects.values_list("code", "id"))
        counts = _places(city, ids, wards)
        progress(f"places and schools written ({counts['places']:,})")
        counts.update(_identities(city, ids, agencies))
        progress(f"identities written ({counts['identities']:,})")
        counts.update(_events(city, ids, agencies))
        progress(f"events written ({counts['events']:,}, {counts['involvements']:,} involvements)")
        counts.update(_relationships(city, ids, agencies))
        _reset_sequences()
        ranges = {key(m): [first, first + counts[_COUNTED[m]] - 1] for m, first in ids.items()}
        return SyntheticCity.objects.create(
            seed=city.seed, children=city.children, months=city.months, start=city.start,
            generated_at=clock.now(), row_ranges=ranges, counts=counts,
        )


_COUNTED = {Place: "places", School: "schools", Identity: "identities", Event: "events",
            Involvement: "involvements", EventObject: "objects", Relationship: "relationships"}


def _places(city: records.City, ids: dict, wards: dict) -> dict:
    first, school_first = ids[Place], ids[School]
    resolution = settings.H3_RESOLUTION
    Writer(Place, ["name", "place_type", "latitude", "longitude", "ward_id", "h3_cell"]).write(
        (first + p.index, p.name, p.place_type, p.latitude, p.longitude, wards[p.ward_code],
         h3.latlng_to_cell(p.latitude, p.longitude, resolution))
        for p in city.places
    )
    Writer(School, ["name", "urn", "phase", "place_id"]).write(
        (school_first + s.index, s.name, s.urn, "secondary", first + s.place)
        for s in city.schools
    )
    return {"places": len(city.places), "schools": len(city.schools)}


def _identities(city: records.City, ids: dict, agencies: dict) -> dict:
    first, school_first = ids[Identity], ids[School]
    recorded = moment(clock.now())
    Writer(Identity, ["agency_id", "source_id", "given_name", "family_name", "date_of_birth",
                      "sex", "address", "postcode", "phone", "nhs_number", "school_id",
                      "person_id", "ethnicity", "ethnicity_recorded_at"]).write(
        (first + i.index, agencies[i.agency_slug], i.source_id, i.given_name, i.family_name,
         i.date_of_birth, i.sex, i.address, i.postcode, i.phone, i.nhs_number,
         school_first + i.school if i.school is not None else None, None, i.ethnicity,
         None if i.ethnicity == "not_recorded" else recorded)
        for i in city.identities
    )
    return {"identities": len(city.identities)}


def _events(city: records.City, ids: dict, agencies: dict) -> dict:
    first, place_first, identity_first = ids[Event], ids[Place], ids[Identity]
    Writer(Event, ["event_type", "category", "occurred_at", "ended_at", "reported_at",
                   "reporting_agency_id", "source_reference", "place_id",
                   "location_description", "summary", "knife_among_objects"]).write(
        (first + e.index, e.event_type, e.category, moment(e.occurred_at), moment(e.ended_at),
         moment(e.reported_at), agencies[e.agency_slug], e.source_reference,
         place_first + e.place if e.place is not None else None, e.location_description,
         e.summary, any(kind in KNIFE_KINDS for kind, _ in e.objects))
        for e in city.events
    )
    involvements = ((first + e.index, identity_first + identity, role)
                    for e in city.events for identity, role in e.involvements)
    Writer(Involvement, ["event_id", "identity_id", "role", "person_id"]).write(
        (ids[Involvement] + n, event, identity, role, None)
        for n, (event, identity, role) in enumerate(involvements)
    )
    objects = ((first + e.index, kind, text) for e in city.events for kind, text in e.objects)
    Writer(EventObject, ["event_id", "kind", "description"]).write(
        (ids[EventObject] + n, *row) for n, row in enumerate(objects)
    )
    return {"events": len(city.events),
            "involvements": sum(len(e.involvements) for e in city.events),
            "objects": sum(len(e.objects) for e in city.events)}


def _relationships(city: records.City, ids: dict, agencies: dict) -> dict:
    first, identity_first = ids[Relationship], ids[Identity]
    Writer(Relationship, ["identity_id", "other_identity_id", "person_id", "other_id", "kind",
                          "detail", "source_id", "start_date", "end_date"]).write(
        (first + n, identity_first + r.identity, identity_first + r.other_identity, None, None,
         r.kind, r.detail, agencies[r.agency_slug], r.start_date, None)
        for n, r in enumerate(city.relationships)
    )
    return {"relationships": len(city.relationships)}


def _reset_sequences() -> None:
    """After writing explicit ids, PostgreSQL's id sequences must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(_COUNTED))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
