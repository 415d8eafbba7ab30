"""An incident a practitioner types in, as the message their agency's feed would have sent.

Only the shape is decided here (which feed, which of its kinds, which fields): the message then
goes through the feed's own checks, linkage, rules, tasks and audit (`services.record_incident`),
so a knife in school typed in makes the task a school's system would have made.
"""

import dataclasses
import datetime as dt

from saferoptions.contexts.models import PlaceType
from saferoptions.events.models import EventCategory

from .models import FeedType, feeds_for_agency
from .schemas import SchoolIncidentSchema, StopSearchSchema

ED_METHODS = {"knife_sharp": "Assault with a knife or sharp object",
              "blunt_object": "Assault with a blunt object",
              "body_part": "Assault with fists, feet or another part of the body",
              "firearm": "Assault with a firearm", "other": "Another kind of assault",
              "unknown": "An assault, how is not known"}
# A place's type in the words the ED's minimum data set uses for where the assault happened.
ED_LOCATIONS = {PlaceType.SCHOOL: "school", PlaceType.PARK: "park",
                PlaceType.STREET: "street", PlaceType.TRANSPORT_HUB: "transport",
                PlaceType.LICENSED_PREMISES: "licensed_premises"}
_CATEGORIES = dict(EventCategory.choices)


@dataclasses.dataclass(frozen=True)
class Kind:
    """One thing that can have happened: the feed it goes by and that feed's own value."""

    feed_type: str
    value: str
    label: str

    @property
    def choice(self) -> str:
        return f"{self.feed_type}:{self.value}"


def _by_category(feed_type: str, categories) -> list[Kind]:
    return [Kind(feed_type, c, _CATEGORIES[c]) for c in categories]


# The feeds a person can type an incident for, each with the kinds its schema accepts. A
# missing episode (sent when it starts and again on return) and a provider's report are not
# one incident, so they are not here.
KINDS = {
    FeedType.SCHOOL_INCIDENT: [Kind(FeedType.SCHOOL_INCIDENT, k, _CATEGORIES[c])
                               for k, c in SchoolIncidentSchema.KINDS.items()],
    FeedType.ED_ASSAULT: [Kind(FeedType.ED_ASSAULT, k, w) for k, w in ED_METHODS.items()],
    FeedType.POLICE_INCIDENT: _by_category(FeedType.POLICE_INCIDENT, _CATEGORIES),
    FeedType.STOP_SEARCH: [Kind(FeedType.STOP_SEARCH, g, f"Stop and search: {_CATEGORIES[c]}")
                           for g, c in StopSearchSchema.GROUNDS.items()],
    FeedType.HOUSING_REPORT: _by_category(FeedType.HOUSING_REPORT, _CATEGORIES),
    FeedType.COMMUNITY_CONCERN: _by_category(FeedType.COMMUNITY_CONCERN, _CATEGORIES),
}


def kinds_for(agency) -> list[Kind]:
    """What this agency's feeds let it say happened (none: the page is not offered)."""
    if agency is None:
        return []
    return [k for feed in feeds_for_agency(agency) for k in KINDS.get(feed, ())]


@dataclasses.dataclass
class Incident:
    """What the form gathered, already checked as a form (the feed's schema checks it again)."""

    kind: Kind
    key: str
    occurred_at: dt.datetime
    summary: str
    given_name: str = ""
    family_name: str = ""
    date_of_birth: dt.date | None = None
    child_id: str = ""
    school_urn: str = ""
    place: dict | None = None  # {"name", "place_type"} of a known place or the school's
    location_description: str = ""

    @property
    def reference(self) -> str:
        """The reference the practitioner is given, and the event is known by."""
        return f"SO-{self.key[:10].upper()}"


def message_for(incident: Incident) -> dict:
    """The incident as the JSON its feed would send."""
    base = {"idempotency_key": incident.key, "source_reference": incident.reference,
            "occurred_at": incident.occurred_at.isoformat(), "summary": incident.summary,
            "location_description": incident.location_description}
    if incident.place:
        base["place"] = incident.place
    return base | _SHAPES[incident.kind.feed_type](incident)


def _child(incident: Incident) -> dict:
    child = {"source_id": incident.child_id or f"web-{incident.key[:24]}",
             "given_name": incident.given_name, "family_name": incident.family_name,
             "school_urn": incident.school_urn}
    if incident.date_of_birth:
        child["date_of_birth"] = incident.date_of_birth.isoformat()
    return child


def _age_on(born: dt.date | None, day: dt.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _ed(incident: Incident) -> dict:
    place_type = (incident.place or {}).get("place_type")
    shape = {"arrival_at": incident.occurred_at.isoformat(),
             "assault_method": incident.kind.value,
             "location_type": ED_LOCATIONS.get(place_type, "other" if place_type else "unknown"),
             "rapid_response_referral": True, "referral": _child(incident)}
    age = _age_on(incident.date_of_birth, incident.occurred_at.date())
    return shape if age is None else shape | {"patient_age": age}


_SHAPES = {
    FeedType.SCHOOL_INCIDENT: lambda i: {"pupil": _child(i), "school_urn": i.school_urn,
                                         "incident_kind": i.kind.value},
    FeedType.ED_ASSAULT: _ed,
    FeedType.POLICE_INCIDENT: lambda i: {"category": i.kind.value, "people": [_child(i)]},
    FeedType.STOP_SEARCH: lambda i: {"grounds": i.kind.value, "person": _child(i)},
    FeedType.HOUSING_REPORT: lambda i: {"category": i.kind.value, "people": [_child(i)]},
    FeedType.COMMUNITY_CONCERN: lambda i: {"category": i.kind.value, "people": [_child(i)]},
}

# Where the feed's schema names a field the form shows under another name.
FORM_FIELDS = {"occurred_at": "occurred_at", "arrival_at": "occurred_at",
               "given_name": "given_name", "family_name": "family_name",
               "date_of_birth": "date_of_birth", "source_id": "child_id",
               "school_urn": "school", "summary": "summary",
               "location_description": "where_words", "place": "place", "name": "place"}


def form_field(schema_field: str) -> str | None:
    """The form's field for an error the feed's schema gave ("pupil.date_of_birth")."""
    last = schema_field.split(".")[-1].split("[")[0]
    return FORM_FIELDS.get(last)
