"""Which locality's teams serve a person: from the most recent address their agencies recorded.

The one home of the rule "postcode -> locality". The Hub triages by locality, so a person
with no locality falls out of every locality queue: every path that creates a person or gives
one an address (feeds, batch and real-time linkage, merges, splits, the Hub by hand) comes
through here, and people left without a locality are listed for the Hub to place
(`selectors.unplaced_people`).

Open work about the child (clocks, concerns) follows them when their locality changes: the
apps that hold it register a follower here from their `AppConfig.ready` (people is a
foundation and imports no domain app).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from saferoptions.access.policy import roles_with
from saferoptions.audit.services import record
from saferoptions.core.identifiers import postcode_outward
from saferoptions.core.models import Locality, PostcodeDistrict

from .models import Identity, Person

# Above this many people a refresh reads every linked identity once instead of a long IN list.
_SCAN_ALL_ABOVE = 2000
PLACERS = roles_with("place_children")  # the duty in the role table
MIN_REASON = 10

NO_POSTCODE = "No agency has recorded a postcode for them."
NOT_A_POSTCODE = "No recorded postcode is a complete UK postcode."
OUTSIDE = "Their most recent postcode is in a district no locality of the partnership serves."
NOT_YET = "Their address places them, but their locality has not been set yet."


@dataclass(frozen=True)
class Address:
    """One agency's postcode for the person and when the agency recorded it."""

    postcode: str
    recorded_at: dt.datetime | None


@dataclass(frozen=True)
class Placement:
    """Where the addresses place the person: a locality id, or None and why not."""

    locality_id: int | None
    reason: str = ""


def addresses_of(identities: Iterable) -> list[Address]:
    """Dated addresses from identities (model rows or their `values()` dicts)."""
    def get(row, name):
        return row.get(name) if isinstance(row, dict) else getattr(row, name, None)

    return [Address(get(i, "postcode") or "",
                    get(i, "address_recorded_at") or get(i, "recorded_at")) for i in identities]


def placement(addresses: Iterable[Address], served: dict[str, int] | None = None) -> Placement:
    """The locality of the most recent complete postcode; a mistyped later one is passed over."""
    usable = [a for a in addresses if postcode_outward(a.postcode)]
    if not usable:
        any_recorded = any(a.postcode.strip() for a in addresses)
        return Placement(None, NOT_A_POSTCODE if any_recorded else NO_POSTCODE)
    # Ties (the same moment) go to the later record: the list comes in the order recorded.
    earliest = dt.datetime.min.replace(tzinfo=dt.UTC)
    latest = max(enumerate(usable), key=lambda ia: (ia[1].recorded_at or earliest, ia[0]))[1]
    served = served if served is not None else served_districts()
    locality_id = served.get(postcode_outward(latest.postcode))
    return Placement(locality_id, "" if locality_id else OUTSIDE)


def served_districts() -> dict[str, int]:
    """Outward code -> the id of the locality that serves it (reference data)."""
    return dict(PostcodeDistrict.objects.values_list("outward_code", "locality_id"))


# --- followers: open work that moves with the child ----------------------------------------

Follower = Callable[..., None]
_followers: list[Follower] = []


def follow_locality(follower: Follower) -> None:
    """Register `follower(changes, actor=...)`: changes maps person id -> new locality id."""
    if follower not in _followers:
        _followers.append(follower)


def _moved(changes: dict[int, int | None], actor) -> None:
    if not changes:
        return
    for follower in _followers:
        follower(changes, actor=actor)


# --- setting a person's locality -----------------------------------------------------------

def _decide(locality_id, by_hand: bool, found: Placement) -> int | None | bool:
    """The locality the person should have; False when nothing should change.

    An address places the person (and ends a placement by hand); without one, a placement by
    the Hub stands, and anyone else has no locality.
    """
    if found.locality_id is None and by_hand:
        return False
    if found.locality_id == locality_id and not (by_hand and found.locality_id):
        return False
    return found.locality_id


def refresh_locality(*, person: Person, actor=None, purpose: str = "locality from postcode"):
    """Set one person's locality from their identities' addresses now (after a new address,
    a new identity, a merge or a split); returns the person."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        rows = Identity.objects.filter(person=person).order_by("pk").values(
            "postcode", "recorded_at", "address_recorded_at")
        found = placement(addresses_of(rows))
        target = _decide(person.locality_id, person.locality_by_hand, found)
        if rows and target is not False:  # with no agency record at all, nothing to go on
            _save({person.pk: (person.locality_id, target)}, actor=actor, purpose=purpose)
            person.locality_id, person.locality_by_hand = target, False
    return person


def refresh_localities(*, people: Iterable[int] | None = None, actor=None,
                       purpose: str = "locality from postcode") -> int:
    """Set many people's localities from their addresses (a batch run); returns changes."""
    ids = None if people is None else set(people)
    if ids is not None and not ids:
        return 0
    few = ids is not None and len(ids) <= _SCAN_ALL_ABOVE
    rows = Identity.objects.filter(person__isnull=False)
    rows = rows.filter(person_id__in=ids) if few else rows
    grouped: dict[int, list[dict]] = {}
    for row in rows.order_by("pk").values("person_id", "postcode", "recorded_at",
                                          "address_recorded_at"):
        if ids is None or row["person_id"] in ids:
            grouped.setdefault(row["person_id"], []).append(row)
    people_rows = Person.objects.filter(pk__in=ids) if few else Person.objects.all()
    served, changes = served_districts(), {}
    for pk, locality_id, by_hand in people_rows.values_list("pk", "locality_id",
                                                            "locality_by_hand"):
        if pk not in grouped:  # no agency record at all: nothing to go on
            continue
        found = placement(addresses_of(grouped[pk]), served)
        target = _decide(locality_id, by_hand, found)
        if target is not False:
            changes[pk] = (locality_id, target)
    with transaction.atomic():
        return _save(changes, actor=actor, purpose=purpose)


def assign_localities(*, people=None) -> int:
    """Every person's locality from their addresses (after the demo city is linked)."""
    return refresh_localities(people=people)


def _save(changes: dict[int, tuple], *, actor, purpose: str) -> int:
    """Write (old, new) localities; a locality that comes from an address is never by hand."""
    if not changes:
        return 0
    rows = [Person(pk=pk, locality_id=new, locality_by_hand=False)
            for pk, (_, new) in changes.items()]
    Person.objects.bulk_update(rows, ["locality", "locality_by_hand"], batch_size=2000)
    record(actor=actor, action="update", object_type="person", object_ids=sorted(changes),
           purpose=purpose, detail={"field": "locality"})
    _moved({pk: new for pk, (old, new) in changes.items() if old != new}, actor)
    return len(changes)


# --- the Hub places a child by hand --------------------------------------------------------

class PlacementRefused(ValueError):
    """A placement that cannot be made; `field` and the message say why (for the form)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def place_person(*, actor, person: Person, locality: Locality, reason: str) -> Person:
    """The Hub decides which locality serves a person their addresses cannot place."""
    reason = (reason or "").strip()
    if getattr(actor, "role", None) not in PLACERS:
        raise PlacementRefused("locality", "Only the Hub places a child in a locality.")
    if not isinstance(locality, Locality):
        raise PlacementRefused("locality", "Choose the locality whose teams will serve them.")
    if len(reason) < MIN_REASON:
        raise PlacementRefused("reason", f"Say why, in at least {MIN_REASON} characters.")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.merged_into_id:
            raise PlacementRefused("locality", "This person has been merged into someone else.")
        old = person.locality_id
        person.locality, person.locality_by_hand, person.locality_note = locality, True, reason
        person.save(update_fields=["locality", "locality_by_hand", "locality_note"])
        # The reason is the Hub's own words about a child: kept on the record, not the audit.
        record(actor=actor, action="update", object_type="person", object_ids=[person.pk],
               purpose="data_quality", detail={"field": "locality", "by_hand": True,
                                               "from": old, "to": locality.pk})
        if old != locality.pk:
            _moved({person.pk: locality.pk}, actor)
    return person
