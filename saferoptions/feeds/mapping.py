"""A validated message becomes an `Event` with its involvements, objects and place.

Called only inside the processing job's transaction. Everything is keyed on the sending
agency's own references (event by source_reference, identity by source_id), so running the
same message twice changes nothing.
"""

from saferoptions.contexts.models import Place, School
from saferoptions.core import clock
from saferoptions.core.models import Ward
from saferoptions.events.models import Event, EventObject, Involvement, InvolvementRole
from saferoptions.linkage import intake
from saferoptions.people.localities import refresh_locality
from saferoptions.people.models import Ethnicity, Identity

from .schemas import EventDraft

# Referred to by name so a model that renames its manager cannot break it.
EVENTS = Event.objects

IDENTITY_FIELDS = ("given_name", "family_name", "date_of_birth", "sex", "nhs_number", "postcode",
                   "ethnicity")


def record_event(agency, draft: EventDraft) -> Event:
    """Create or update the event the agency knows by `draft.source_reference`."""
    place = resolve_place(draft.place)
    values = {
        "event_type": draft.event_type,
        "category": draft.category,
        "occurred_at": draft.occurred_at,
        "reported_at": draft.reported_at,
        "place": place,
        "location_description": draft.location_description,
        "summary": draft.summary,
    }
    event, created = _create_or_get(agency, draft, values)
    if not created:
        _update_event(event, values, draft)
    involved = [_involve(event, agency, p, created) for p in draft.people]
    # The people the event is about, for its tasks: a parent who reported a child missing is
    # in the event too, but the return home interview is the child's (as cases.hooks decides).
    event.person_ids = [i.person_id for i in involved if i.role != InvolvementRole.REPORTER]
    if created:  # nothing to repeat on a new event: write its objects in one statement
        EventObject.objects.bulk_create([
            EventObject(event=event, kind=o["kind"], description=o.get("description", ""))
            for o in draft.objects])
    for obj in draft.objects if not created else ():
        EventObject.objects.get_or_create(
            event=event, kind=obj["kind"], description=obj.get("description", "")
        )
    event.is_new = created
    return event


def _create_or_get(agency, draft: EventDraft, values: dict) -> tuple[Event, bool]:
    """The agency's event with this reference, or a new one.

    No savepoint of its own: if another worker inserts the same reference at the same moment,
    the constraint fails this message's savepoint and the message is simply tried again.
    """
    found = EVENTS.filter(reporting_agency=agency, source_reference=draft.source_reference).first()
    if found:
        return found, False
    return EVENTS.create(reporting_agency=agency, source_reference=draft.source_reference,
                         ended_at=draft.ended_at, **values), True


def _update_event(event: Event, values: dict, draft: EventDraft) -> None:
    """A later message about the same event (a return from missing, a correction) updates it."""
    changed = {k: v for k, v in values.items() if v not in (None, "") and getattr(event, k) != v}
    if draft.ended_at:
        changed["ended_at"] = draft.ended_at
    for name, value in changed.items():
        setattr(event, name, value)
    if changed:
        event.save(update_fields=list(changed))


def _involve(event: Event, agency, person: dict, new_event: bool) -> Involvement:
    identity = upsert_identity(agency, person)
    if new_event:
        return Involvement.objects.create(event=event, identity=identity, role=person["role"],
                                          person=identity.person)
    involvement, created = Involvement.objects.get_or_create(
        event=event, identity=identity, role=person["role"],
        defaults={"person": identity.person},
    )
    if not created and involvement.person_id != identity.person_id:
        involvement.person = identity.person
        involvement.save(update_fields=["person"])
    return involvement


def upsert_identity(agency, person: dict) -> Identity:
    """The agency's record of this person, created or refreshed, and matched if we can."""
    # "Not recorded" says nothing new: it never overwrites what the agency recorded before.
    facts = {k: person[k] for k in IDENTITY_FIELDS
             if person.get(k) not in (None, "", Ethnicity.NOT_RECORDED)}
    if "ethnicity" in facts:
        facts["ethnicity_recorded_at"] = clock.now()
    if person.get("school_urn"):
        facts["school"] = School.objects.filter(urn=person["school_urn"]).first()
    identity, created = Identity.objects.get_or_create(
        agency=agency, source_id=person["source_id"], defaults=facts
    )
    changed = [k for k, v in facts.items()
               if k != "ethnicity_recorded_at" and getattr(identity, k) != v]
    if "ethnicity" in changed:  # dated now: the most recently recorded one is the person's
        changed.append("ethnicity_recorded_at")
    for name in changed:
        setattr(identity, name, facts[name])
    if "postcode" in changed:  # a new address, dated now: the most recent one places the child
        identity.address_recorded_at = clock.now()
    if identity.person_id is None:  # linkage decides who it is (and makes a new person)
        matched = intake.take(identity).person
        if matched:
            identity.person = matched
            changed.append("person")
    if changed and not created or "person" in changed:
        identity.save()
    if identity.person_id and {"postcode", "person"} & set(changed):
        refresh_locality(person=identity.person, purpose="partner feed")
    return identity


def resolve_place(place: dict | None) -> Place | None:
    """A known place by name; otherwise a new one placed in the nearest ward, if located."""
    if not place:
        return None
    known = Place.objects.filter(name__iexact=place["name"]).first()
    if known or place.get("latitude") is None or place.get("longitude") is None:
        return known
    ward = nearest_ward(place["latitude"], place["longitude"])
    return Place.objects.create(
        name=place["name"], place_type=place["place_type"], latitude=place["latitude"],
        longitude=place["longitude"], ward=ward,
    )


def nearest_ward(latitude: float, longitude: float) -> Ward:
    """The ward whose centre is nearest (good enough within one city)."""
    return min(
        Ward.objects.all(),
        key=lambda w: (w.latitude - latitude) ** 2 + (w.longitude - longitude) ** 2,
    )
