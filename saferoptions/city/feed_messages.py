"""The synthetic city's events as partner feed messages, for the live demo (`replay`).

Plain functions from the city generator's dataclasses to the JSON each feed's schema expects;
the command sends them through the real API so a viewer sees tasks appear. It lives with the
city (the top layer): feeds know nothing of the synthetic city.
"""

from .records import City, Event

SCHOOL_KINDS = {"weapon", "knife", "drugs", "exclusion", "attendance"}
GROUNDS = {"weapon", "knife", "drugs"}


def _person(city: City, index: int, role: str) -> dict:
    identity = city.identities[index]
    person = {"source_id": identity.source_id, "role": role, "sex": identity.sex or "U",
              "given_name": identity.given_name[:100], "family_name": identity.family_name[:100],
              "postcode": identity.postcode[:10], "nhs_number": identity.nhs_number}
    if identity.ethnicity != "not_recorded":
        person["ethnicity"] = identity.ethnicity
    if identity.date_of_birth:
        person["date_of_birth"] = identity.date_of_birth.isoformat()
    if identity.school is not None:
        person["school_urn"] = city.schools[identity.school].urn
    return person


def _place(city: City, index: int | None) -> dict | None:
    if index is None:
        return None
    place = city.places[index]
    return {"name": place.name, "place_type": place.place_type,
            "latitude": place.latitude, "longitude": place.longitude}


def _age(person: dict, event: Event) -> int | None:
    if "date_of_birth" not in person:
        return None
    born, day = person["date_of_birth"], event.occurred_at.date()
    year, month, date_ = (int(p) for p in born.split("-"))
    return day.year - year - ((day.month, day.day) < (month, date_))


def to_message(city: City, event: Event) -> dict | None:
    """The event as its feed's message, or None if the feed cannot carry it."""
    people = [_person(city, i, role) for i, role in event.involvements]
    message = {"idempotency_key": f"city-{city.seed}-{event.index}",
               "source_reference": event.source_reference,
               "occurred_at": event.occurred_at.isoformat(),
               "reported_at": event.reported_at.isoformat(),
               "summary": event.summary, "location_description": event.location_description[:200]}
    if place := _place(city, event.place):
        message["place"] = place
    extra = _FEED_FIELDS[event.event_type](city, event, people)
    return None if extra is None else {**message, **extra}


def _police(city, event, people):
    return {"category": event.category, "people": people,
            "objects": [{"kind": k, "description": d[:200]} for k, d in event.objects]}


def _stop_search(city, event, people):
    grounds = event.category if event.category in GROUNDS else "other"
    return {"person": people[0], "grounds": grounds} if people else None


def _missing(city, event, people):
    if not people:
        return None
    returned = {"returned_at": event.ended_at.isoformat()} if event.ended_at else {}
    return {"person": people[0], **returned}


def _ed(city, event, people):
    knife = event.category == "knife"
    base = {"arrival_at": event.reported_at.isoformat(),
            "assault_method": "knife_sharp" if knife else "other", "location_type": "street"}
    if people:
        if (age := _age(people[0], event)) is not None:
            base["patient_age"] = age
        base.update(rapid_response_referral=True, referral=people[0])
    return base


def _school(city, event, people):
    if not people or event.category not in SCHOOL_KINDS:
        return None
    urn = people[0].get("school_urn") or "000000"
    return {"pupil": people[0], "school_urn": urn, "incident_kind": event.category}


def _report(city, event, people):
    return {"category": event.category, "people": people}


_FEED_FIELDS = {"police_incident": _police, "stop_search": _stop_search,
                "missing_episode": _missing, "ed_assault": _ed, "school_incident": _school,
                "housing_report": _report, "licensing_report": _report,
                "community_concern": _report}
