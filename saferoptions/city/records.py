"""The synthetic city as plain dataclasses: what the generator builds and the loader writes.

Fields named `person_key`, `is_exploited`, `is_exploiter`, `variations` and everything on
`TruePerson` and `TrueGroup` are ground truth: the loader never writes them to the
application database; `truth.py` writes them to the evaluation store.
"""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class Household:
    """A home: where a family lives now and where it lived before (agencies lag behind)."""

    index: int
    ward_code: str
    address: str
    postcode: str
    previous_address: str
    previous_postcode: str


@dataclass(slots=True)
class TruePerson:
    """One real (fictional) human, as the world knows them, not as any agency records them."""

    key: str
    kind: str  # people.models.PersonKind value
    given_name: str
    family_name: str
    sex: str
    date_of_birth: date
    household: int
    ward_code: str
    phone: str
    nhs_number: str
    school: int | None = None
    risk: str = "low"  # low, raised, exploited (children); adults: "adult" or "exploiter"
    is_exploited: bool = False
    is_exploiter: bool = False
    exploited_from: date | None = None
    groups: list[int] = field(default_factory=list)
    friends: list[int] = field(default_factory=list)
    ethnicity: str = "not_recorded"  # ONS 2021 group (ethnicity.py)
    visibility: str = "usual"  # usual, hidden, heavy or heavy_past (visibility.py)
    recording: float = 1.0  # how much of this person's life agencies record (visibility.py)


@dataclass(slots=True)
class Place:
    """A named location near a ward centre."""

    index: int
    name: str
    place_type: str  # contexts.models.PlaceType value
    latitude: float
    longitude: float
    ward_code: str
    risk: float = 1.0  # truth: how much violence happens here (place_risk.py)


@dataclass(slots=True)
class School:
    """An invented secondary school, itself a place on the map."""

    index: int
    name: str
    urn: str
    place: int
    ward_code: str


@dataclass(slots=True)
class Identity:
    """One agency's own record of a person, with that agency's version of the facts."""

    index: int
    agency_slug: str
    source_id: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: str
    address: str
    postcode: str
    phone: str
    nhs_number: str
    school: int | None
    person_key: str  # truth
    variations: tuple[str, ...] = ()  # truth: what was done to the record
    ethnicity: str = "not_recorded"  # as the agency recorded it (ethnicity.py)


@dataclass(slots=True)
class Event:
    """Something an agency recorded, with the people (their identities) and objects in it."""

    index: int
    event_type: str  # events.models.EventType value
    category: str  # events.models.EventCategory value
    occurred_at: datetime
    ended_at: datetime | None
    reported_at: datetime
    agency_slug: str
    source_reference: str
    place: int | None
    location_description: str
    summary: str
    involvements: list[tuple[int, str]] = field(default_factory=list)  # (identity, role)
    objects: list[tuple[str, str]] = field(default_factory=list)  # (kind, description)
    group: int | None = None  # truth: the true group whose activity this was


@dataclass(slots=True)
class Relationship:
    """A tie one agency recorded between two of its own identity records."""

    identity: int
    other_identity: int
    kind: str  # people.models.RelationshipKind value
    detail: str
    agency_slug: str
    start_date: date | None


@dataclass(slots=True)
class TrueGroup:
    """A real peer group drawn together by exploiters (truth only)."""

    key: str
    ward_code: str
    members: list[int]  # person indexes (children and young adults)
    exploiters: list[int]  # person indexes
    places: list[int]  # place indexes the group uses


@dataclass(slots=True)
class City:
    """Everything generated for one seed and size, truth included."""

    seed: int
    children: int
    months: int
    start: date
    end: date
    people: list[TruePerson]
    households: list[Household]
    places: list[Place]
    schools: list[School]
    groups: list[TrueGroup]
    identities: list[Identity]
    events: list[Event]
    relationships: list[Relationship]
    flares: list = field(default_factory=list)  # truth: place_risk.Flare, places flaring up

    def counts(self) -> dict[str, int]:
        """How many of each thing, for progress lines and benchmark figures."""
        return {
            "people": len(self.people),
            "households": len(self.households),
            "places": len(self.places),
            "schools": len(self.schools),
            "groups": len(self.groups),
            "identities": len(self.identities),
            "events": len(self.events),
            "involvements": sum(len(e.involvements) for e in self.events),
            "objects": sum(len(e.objects) for e in self.events),
            "relationships": len(self.relationships),
        }
