"""Every read of people's records, through the access policy, each one audited.

Each selector runs its reads and its audit row in one transaction: if the audit row cannot be
written (`AuditUnavailable`), the caller gets no data.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower

from saferoptions.access import policy
from saferoptions.access.categories import IDENTITY_FIELD_CATEGORIES, Purpose
from saferoptions.audit.services import record
from saferoptions.core.queues import page_of, read_query
from saferoptions.events.models import Event

from . import localities
from .models import Identity, Person, PersonKind, Relationship, Sex

PAGE_SIZE = 50
# Rows apps above people keep about a person, shown on the child's page under a name (contexts:
# "groups", the groups they are in). People may not import those apps, so they register here
# from their AppConfig.ready(); the access policy still decides which rows the user sees.
_RECORD_ROWS: dict[str, Callable[[], QuerySet]] = {}
# By family name, then given name; records with no family name (an ED referral with a first
# name only, not yet matched) after them, not filling the first pages. A CASE, not NULLS LAST:
# the name is blank, not null, and it sorts the same on SQLite and PostgreSQL. Names sort without
# regard to case: some agencies send family names in capitals (AHMED), and they belong beside
# Ahmed, not before Abbott (SQLite, and PostgreSQL under the C collation, sort capitals first).
# A name the reader may not see must not place its row (the place would tell it): such rows
# come last, by id, their first key their own (`_name_order`), so their names are never
# compared. `name_order` is one annotation, ordered by its alias: the rule is asked once per
# row, where the list sorts every row the reader may see (5,000 for the Hub of a city of 3,000
# children: bench/people_list.py; a CASE per key asked it four times, p95 over 300 ms).
ORDER = ("name_order", Lower("family_name"), Lower("given_name"), "pk")
HIDDEN_FROM = 2  # `name_order` from here up: a row whose names the reader may not see


@dataclass(frozen=True)
class PersonPage:
    """One page of a list or search: the people on it and how many there are in all."""

    people: list
    total: int
    page: int
    pages: int

    @classmethod
    def of(cls, found, people: list) -> "PersonPage":
        """From a Django page `found`, listing `people` (its rows, or what is shown of them)."""
        return cls(people, found.paginator.count, found.number, found.paginator.num_pages)


@dataclass(frozen=True)
class ShownPerson:
    """A person as one reader may see them: names, date of birth and sex only where the policy
    grants the identity category; otherwise blank, exactly as for a person nobody named."""

    public_id: object
    kind: str
    locality: object = None
    given_name: str = ""
    family_name: str = ""
    date_of_birth: dt.date | None = None
    sex: str = Sex.UNKNOWN

    @classmethod
    def of(cls, person: Person, *, identity_shown: bool) -> "ShownPerson":
        shown = cls(person.public_id, person.kind, person.locality_id and person.locality)
        if not identity_shown:
            return shown
        return cls(person.public_id, person.kind, shown.locality, person.given_name,
                   person.family_name, person.date_of_birth, person.sex)

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or "(name not known)"

    def get_kind_display(self) -> str:
        return PersonKind(self.kind).label

    def get_sex_display(self) -> str:
        return Sex(self.sex or Sex.UNKNOWN).label


def _identity_hidden(user) -> Q:
    """Whether the person's names, date of birth and sex are withheld from the user: where an
    agency holds a record of them (the person's names are taken from those records) and the
    policy grants identity from none of those that do. A person no agency holds a record of
    (none made by linkage, which makes people from agency records) has no source to withhold
    them for."""
    held = Identity.objects.filter(person=OuterRef("pk"))
    granted = policy.restrict(user, "list", Identity.objects.filter(person=OuterRef("pk")))
    return Q(Exists(held)) & ~Q(Exists(granted))


def _identity_shown(user) -> ExpressionWrapper:
    return ExpressionWrapper(~_identity_hidden(user), output_field=BooleanField())


def _name_order(user) -> Case:
    return Case(When(_identity_hidden(user), then=F("pk") + HIDDEN_FROM),
                When(family_name="", then=Value(1)), default=Value(0),
                output_field=IntegerField())


def with_identity_shown(*, user, people: QuerySet) -> QuerySet:
    """`people` (already read through the policy), each annotated `identity_shown` (the rule of
    `_identity_hidden`), so that a search matches only names the user may see, in one query
    (`shown_people` and the `shown_person` tag read the annotation instead of asking again)."""
    return people.annotate(identity_shown=_identity_shown(user))


def in_name_order(*, user, people: QuerySet) -> QuerySet:
    """`people` (already read through the policy) as a reader looks them up by name, each
    carrying whether the user may see their names (`name_order`, read by `shown_people` and the
    `shown_person` tag); a name the user may not see does not place its row (`ORDER`)."""
    return people.annotate(name_order=_name_order(user)).order_by(*ORDER)


def _carried(person) -> bool | None:
    """Whether a row read through `with_identity_shown` or `in_name_order` may be named; None
    for a row that does not say."""
    if hasattr(person, "identity_shown"):
        return person.identity_shown
    if hasattr(person, "name_order"):
        return person.name_order < HIDDEN_FROM
    return None


def _visible_people(user, query: str):
    people = policy.restrict(user, "list", Person.objects.filter(merged_into__isnull=True))
    people = in_name_order(user=user, people=people)
    for word in query.split():
        # Only names the user may see are searched: a hit would confirm a hidden name.
        people = people.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word),
                               name_order__lt=HIDDEN_FROM)
    return people.select_related("locality")


def shown_people(*, user, people) -> dict:
    """`people` (already read through the policy by the caller) as the user may see them, by
    id: names, date of birth and sex only where the policy grants identity (`_identity_shown`).
    For pages of other apps that name a child they have opened. People read through
    `with_identity_shown` carry the answer already; the others cost one query."""
    people = list(people)
    asked = {p.pk for p in people if _carried(p) is None}
    named = {p.pk for p in people if _carried(p)}
    if asked:
        named |= set(with_identity_shown(user=user, people=Person.objects.filter(pk__in=asked))
                     .filter(identity_shown=True).values_list("pk", flat=True))
    return {p.pk: ShownPerson.of(p, identity_shown=p.pk in named) for p in people}


def listed_person(*, user, public_id) -> Person | None:
    """One current person the user may list, by reference; None for a malformed, merged or
    hidden reference alike. The caller audits what it then shows."""
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return policy.restrict(user, "list", Person.objects.filter(
        public_id=public_id, merged_into__isnull=True)).first()


def _as_shown(rows) -> list[ShownPerson]:
    return [ShownPerson.of(p, identity_shown=_carried(p)) for p in rows]


def search_people(*, user, query: str = "", page: int = 1) -> PersonPage:
    """The people the user may see, matching every word of `query` against their names."""
    query = query.strip()
    with transaction.atomic():
        found = Paginator(_visible_people(user, query), PAGE_SIZE).get_page(page)
        rows = list(found.object_list)
        record(actor=user, action="search" if query else "list", object_type="person",
               object_ids=[p.pk for p in rows],
               detail={"page": found.number, "total": found.paginator.count})
    return PersonPage.of(found, _as_shown(rows))


def export_people(*, user, query: str = "") -> list[ShownPerson]:
    """Every person the list or search shows, as it shows them, for a CSV download."""
    with transaction.atomic():
        rows = list(_visible_people(user, query.strip()))
        record(actor=user, action="export", object_type="person",
               object_ids=[p.pk for p in rows], detail={"total": len(rows)})
    return _as_shown(rows)


@dataclass
class ChildRecord:
    """What one user may see of one person: filtered by the policy, category by category."""

    person: Person
    decision: policy.Decision
    shown: ShownPerson | None = None  # the person's names and date of birth, as far as granted
    identities: list = field(default_factory=list)
    events: list = field(default_factory=list)
    relationships: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    lead_professional: bool = False
    event_pages: object = None  # core.queues.Paged on the page; None in the API
    openable_places: frozenset = frozenset()  # the events' places this viewer may open

    @property
    def categories(self) -> frozenset:
        return self.decision.grants.categories()


def show_on_child_record(name: str, rows: Callable[[], QuerySet]) -> None:
    """Show `rows()` (of a model naming a person, that the policy knows) on a child's page.

    `name` is a `ChildRecord` field; only the decided person's rows the user may see are kept.
    """
    _RECORD_ROWS[name] = rows


def child_record(*, user, public_id, params=None) -> ChildRecord | None:
    """One person's record as the user may see it; None (the caller's 404) if they may not.

    With `params` (the page's query string) the events are a page of 50, "events" naming the
    page in the address; without, the most recent ACCESS_CHILD_PAGE_EVENTS (the API)."""
    with transaction.atomic():
        # A person merged into another is shown only as the survivor, as in the lists.
        person = Person.objects.filter(public_id=public_id, merged_into__isnull=True).first()
        decision = policy.decision_for(user, person) if person else None
        if decision is None:
            record(actor=user, action="deny", object_type="person", outcome="denied",
                   detail={"reference": str(public_id)})
            return None
        child = _gather(user, person, decision, params)
        record(actor=user, action="view", object_type="person", object_ids=[person.pk],
               purpose=decision.purpose, detail=_shown(child))
    return child


def _shown(child: ChildRecord) -> dict:
    """Ids of what the page shows, so the audit says exactly what was seen."""
    return {
        "break_glass": child.decision.is_break_glass,
        "identities": [i["id"] for i in child.identities],
        "events": [e.pk for e in child.events],
    }


def _gather(user, person, decision, params=None) -> ChildRecord:
    child = ChildRecord(person=person, decision=decision)
    identities = policy.record_rows(decision, Identity.objects.all())
    child.identities = [_identity_view(i, decision.grants) for i in
                        identities.select_related("agency", "school").order_by("agency__name")]
    # `record_rows` keeps only identities from agencies granting identity (`_identity_shown`).
    shown = bool(child.identities) or not Identity.objects.filter(person=person).exists()
    child.shown = ShownPerson.of(person, identity_shown=shown)
    child.events, child.event_pages = _events(decision, params)
    child.openable_places = _openable_places(user, child.events)
    child.relationships = _relationships(user, decision)
    for name, rows in _RECORD_ROWS.items():
        setattr(child, name, list(policy.record_rows(decision, rows())))
    return child


def _identity_view(identity: Identity, grants) -> dict:
    """An agency's record of the person, with each field shown only if its category is granted."""
    shown = {"id": identity.pk, "agency": identity.agency.name, "fields": {}}
    for name, category in IDENTITY_FIELD_CATEGORIES.items():
        if grants.allows(identity.agency_id, category):
            field = Identity._meta.get_field(name)
            label = field.verbose_name
            shown["fields"][name] = getattr(identity, name)
            shown.setdefault("labelled", []).append((label[:1].upper() + label[1:],
                                                     _readable(identity, field)))
    return shown


def _readable(identity: Identity, field):
    """A coded value (ethnicity, sex) in the words people read, not its stored code."""
    value = getattr(identity, field.name)
    if field.choices and value not in (None, ""):
        return getattr(identity, f"get_{field.name}_display")()
    return value


def _openable_places(user, events) -> frozenset:
    """The events' places the viewer may open: a link to any other is a 404 (the place model
    is the events' own foreign key, so people needs no import of the app above it)."""
    ids = {e.place_id for e in events if e.place_id}
    if not ids:
        return frozenset()
    places = Event._meta.get_field("place").related_model.objects.filter(pk__in=ids)
    return frozenset(policy.restrict(user, "view", places).values_list("pk", flat=True))


def _events(decision, params=None) -> tuple[list, object]:
    events = policy.record_rows(decision, Event.objects.all())
    events = events.select_related("reporting_agency", "place").order_by("-occurred_at", "-pk")
    if params is None:
        return list(events[: settings.ACCESS_CHILD_PAGE_EVENTS]), None
    query = read_query(params, sorts=(("recent", "Most recent first"),), page_param="events")
    found = page_of(query, events, what="events")
    return found.rows, found


def _relationships(user, decision) -> list:
    ties = list(policy.record_rows(decision, Relationship.objects.all())
                .select_related("source", "other"))
    others = {t.other_id for t in ties if t.other_id}
    # The other person is named, like the child, only where the policy grants identity.
    visible = shown_people(user=user, people=policy.restrict(
        user, "view", Person.objects.filter(pk__in=others))) if others else {}
    return [
        {"kind": t.get_kind_display(), "detail": t.detail, "source": t.source.name,
         "other": visible.get(t.other_id) or policy.mask(t.other)}
        for t in ties
    ]


# --- people no address places: the Hub's list ----------------------------------------------

@dataclass(frozen=True)
class Unplaced:
    """A person with no locality, and why their agencies' records do not place them."""

    person: Person
    why: str


def _unplaced(user):
    # Data quality, asked for by name: it reaches people no locality scope can (see rules.py).
    rows = Person.objects.filter(locality__isnull=True, merged_into__isnull=True)
    return policy.restrict(user, "list", rows, purpose=Purpose.DATA_QUALITY)


def _why(people: list[Person]) -> dict[int, str]:
    found: dict[int, list] = {p.pk: [] for p in people}
    for row in Identity.objects.filter(person__in=people).order_by("pk").values(
            "person_id", "postcode", "recorded_at", "address_recorded_at"):
        found[row["person_id"]].append(row)
    served = localities.served_districts()
    return {pk: localities.placement(localities.addresses_of(rows), served).reason
            or localities.NOT_YET for pk, rows in found.items()}


def unplaced_people(*, user, page: int = 1) -> PersonPage:
    """People in no locality, newest first, each with why, for the Hub to place (audited)."""
    with transaction.atomic():
        people = with_identity_shown(user=user, people=_unplaced(user)).order_by(
            "-created_at", "-pk")
        found = Paginator(people, PAGE_SIZE).get_page(page)
        rows = list(found.object_list)
        why = _why(rows)
        record(actor=user, action="list", object_type="person", object_ids=[p.pk for p in rows],
               purpose=Purpose.DATA_QUALITY, detail={"unplaced": True, "page": found.number,
                                                     "total": found.paginator.count})
    return PersonPage.of(found, [Unplaced(p, why[p.pk]) for p in rows])


def unplaced_person(*, user, public_id) -> Unplaced | None:
    """One person in no locality, with why; None (the caller's 404) if absent or not allowed."""
    with transaction.atomic():
        person = _unplaced(user).filter(public_id=public_id).first()
        if person is None:
            record(actor=user, action="deny", object_type="person", outcome="denied",
                   purpose=Purpose.DATA_QUALITY, detail={"reference": str(public_id)})
            return None
        record(actor=user, action="view", object_type="person", object_ids=[person.pk],
               purpose=Purpose.DATA_QUALITY, detail={"unplaced": True})
        return Unplaced(person, _why([person])[person.pk])
