"""The demo's present: a few partners' messages arrive in the hours before now.

Settling the past (`settling.py`) leaves the demo's recent work done, and the city's own events
stop at midnight: a newcomer signing in in the afternoon would find no work that arrived today,
and the Barnardo's rapid-response worker of journey 1 no referral at all (a few a fortnight
in a city of 5,000 children). So, as the last step of bringing the demo to life, the partners
send what a real day brings, each message stored and processed by the feeds' own intake
(`feeds.services.store_message`, then the processing job), with the clock at the moment it
arrived, so the tasks, clocks, notifications and audit rows are the real ones:

- the hospital's rapid-response referral of a boy known to the Hub, stabbed in the leg near a
  transport hub (journey 1): a child aged 13-17 with records from three agencies or more, two
  missing episodes in the last 60 days and a lead professional, from the Barnardo's demo
  worker's locality where one fits;
- two more referrals of young people after knife assaults, and one assault whose patient
  declined a referral (no identity: a point on the hot-spot map only);
- the police's message that a child still missing has come home (a return home interview and
  its 72-hour clock);
- a school's report of a knife found in a pupil's bag (the Education Inclusion Manager's
  24-hour risk assessment), preferring a pupil whose family member was stopped and searched
  this week (journey 2); where none was, the police's record of the pupil's older brother or
  sister stopped and searched at a transport hub two evenings ago arrives this morning.

Each arrives between 20 minutes and 7 hours before now, so every deadline is ahead. Who is
chosen follows from the city's records (the same city chooses the same children); nothing is
hand-made. Run again within `FRESH_HOURS` it does nothing; later, it sends a new day's few.
"""

import dataclasses
import datetime as dt
import json
import random

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from saferoptions.accounts.demo import is_demo_account
from saferoptions.cases.models import TeamAroundChildMember, TeamRole
from saferoptions.contexts.models import Place
from saferoptions.core import clock
from saferoptions.core.models import Agency, Role
from saferoptions.events.models import Event, EventType, Involvement, InvolvementRole
from saferoptions.feeds import services as feeds
from saferoptions.feeds.models import InboxMessage
from saferoptions.people.ages import age_on
from saferoptions.people.models import Identity, Person, PersonKind, Relationship

KEY_PREFIX = "demo-present-"
FRESH_HOURS = 12  # a later run within this many hours finds the present already fresh
MISSING_DAYS = 60
JOURNEY_ONE_HOURS = 0.35  # the referral the rapid-response worker opens first (~20 minutes)
SEARCH_HOURS = 40  # the sibling's stop and search: two evenings ago (journey 2's "Saturday")


@dataclasses.dataclass
class Arrived:
    """What the partners sent, and what became of each message."""

    messages: list = dataclasses.field(default_factory=list)  # (feed, status, person or None)

    def describe(self) -> str:
        if not self.messages:
            return "The present is already fresh (or no child fits): no new messages."
        parts = [f"{feed} {status}" for feed, status, _ in self.messages]
        return f"Arrived in the last hours: {len(parts)} messages ({', '.join(parts)})"


def arrive_now(*, seed: int = 0) -> Arrived:
    """Send the present's messages through the feeds' intake, each at its own moment."""
    now, done = clock.now(), Arrived()
    if InboxMessage.objects.filter(idempotency_key__startswith=KEY_PREFIX,
                                   received_at__gte=now - dt.timedelta(hours=FRESH_HOURS)).exists():
        return done
    rng = random.Random(f"{seed}:present:{clock.local(now).date()}")
    arrivals = sorted(_messages(rng, now, set()), key=lambda a: -a[0])  # oldest first
    for hours, feed, agency, message, person in arrivals:
        at = now - dt.timedelta(hours=hours)
        status = _send(agency, feed, message, at)
        done.messages.append((feed, status, person))
    return done


def _send(agency: Agency, feed: str, message: dict, at: dt.datetime) -> str:
    """Stored exactly as the API stores it, then processed by the feeds' job, at `at`."""
    stamp = clock.local(at).strftime("%Y%m%dT%H%M%S")
    message = {"idempotency_key": f"{KEY_PREFIX}{stamp}-{feed}", **message}
    with clock.frozen(at):
        receipt = feeds.store_message(agency=agency, feed_type=feed,
                                      key=message["idempotency_key"],
                                      raw=json.dumps(message).encode())
    with clock.frozen(at + dt.timedelta(seconds=5)):
        return feeds.process_message(receipt.message.pk)


def _messages(rng, now, sent):
    """(hours before now, feed, agency, message, person) for each of the present's arrivals."""
    hospital = Agency.objects.filter(slug="hospital-ed").first()
    police = Agency.objects.filter(slug="police").first()
    education = Agency.objects.filter(slug="education").first()
    if hospital is not None:
        boy = journey_one_child(now)
        if boy is not None:
            sent.add(boy.pk)
            place = _place(rng, "transport_hub", boy.locality_id)
            yield (JOURNEY_ONE_HOURS, "ed_assault", hospital,
                   _ed(rng, hospital, boy, now - dt.timedelta(hours=JOURNEY_ONE_HOURS + 0.6),
                       place, "Stab wound to the left thigh. Agreed to talk to a youth worker."),
                   boy)
        for hours, young in zip((3.2, 6.5), _young_people(rng, now, sent, hospital), strict=False):
            sent.add(young.pk)
            place = _place(rng, rng.choice(["street", "park", "estate"]), young.locality_id)
            yield (hours, "ed_assault", hospital,
                   _ed(rng, hospital, young, now - dt.timedelta(hours=hours + 0.8), place,
                       "Laceration to the forearm from a knife. Accepted a referral."), young)
        place = _place(rng, "transport_hub", None)
        yield (4.6, "ed_assault", hospital,
               _ed(rng, hospital, None, now - dt.timedelta(hours=5.4), place, ""), None)
    if police is not None and (back := _still_missing(now, police, sent)) is not None:
        event, identity = back
        sent.add(identity.person_id)
        place = _place(rng, rng.choice(["park", "transport_hub", "estate"]),
                       identity.person.locality_id)
        yield (2.1, "missing_episode", police, _return(event, identity, place,
                                                       now - dt.timedelta(hours=2.1)),
               identity.person)
    if education is not None and (pupil := _pupil(now, education, sent)) is not None:
        sent.add(pupil.person_id)
        if police is not None and (brother := _searched_sibling(now, pupil, sent)) is not None:
            sent.add(brother.pk)
            place = _place(rng, "transport_hub", pupil.person.locality_id)
            yield (5.2, "stop_search", police,
                   _stop_search(rng, police, brother, now - dt.timedelta(hours=SEARCH_HOURS),
                                place), brother)
        yield (1.4, "school_incident", education,
               _school(rng, pupil, now - dt.timedelta(hours=1.6)), pupil.person)


# --- who: children the city's records make fit --------------------------------------------------

def _children(now, youngest: int, oldest: int):
    """Children aged `youngest` to `oldest` today (relativedelta: 29 February is safe)."""
    today = clock.local(now).date()
    return Person.objects.filter(
        kind=PersonKind.CHILD, merged_into__isnull=True,
        date_of_birth__gt=today - relativedelta(years=oldest + 1),
        date_of_birth__lte=today - relativedelta(years=youngest))


def _lead_worker_locality():
    """The locality of the demo's Barnardo's lead worker, whom journey 1 follows."""
    users = get_user_model().objects.filter(role=Role.LEAD_WORKER, is_active=True,
                                            locality__isnull=False).order_by("username")
    return next((u.locality_id for u in users if is_demo_account(u.username)), None)


def journey_one_child(now) -> Person | None:
    """A boy of 13-17 known to the Hub: records from three agencies or more, two missing
    episodes in the last 60 days, a lead professional; in the rapid-response worker's locality
    where one fits, the most missing first."""
    since = now - dt.timedelta(days=MISSING_DAYS)
    leads = TeamAroundChildMember.objects.filter(
        role=TeamRole.LEAD_PROFESSIONAL, ended_on__isnull=True).values("person_id")
    found = (_children(now, 13, 17).filter(pk__in=leads, sex="M")
             .annotate(missing=Count("involvements__event", distinct=True, filter=Q(
                 involvements__event__event_type=EventType.MISSING_EPISODE,
                 involvements__event__occurred_at__gte=since)),
                 agencies=Count("identities__agency", distinct=True))
             .filter(missing__gte=2, agencies__gte=3))
    home = _lead_worker_locality()
    ranked = sorted(found, key=lambda p: (p.locality_id != home, -p.missing, -p.agencies, p.pk))
    return ranked[0] if ranked else None


def _young_people(rng, now, sent, hospital):
    """Two more young people the hospital has seen before, chosen by the seed."""
    known = Identity.objects.filter(agency=hospital).values("person_id")
    people = list(_children(now, 14, 17).filter(pk__in=known).exclude(pk__in=sent)
                  .order_by("pk")[:200])
    return rng.sample(people, min(2, len(people)))


def _early_help_locality():
    """The locality of the demo's early help worker, who holds its return home interviews."""
    users = get_user_model().objects.filter(role=Role.EARLY_HELP_WORKER, is_active=True,
                                            locality__isnull=False).order_by("username")
    return next((u.locality_id for u in users if is_demo_account(u.username)), None)


def _still_missing(now, police, sent):
    """The latest episode of a child still missing (the police's record of it), a child of the
    early help worker's locality first: where they are found is where the interview is held."""
    rows = (Involvement.objects.filter(
        event__event_type=EventType.MISSING_EPISODE, event__ended_at__isnull=True,
        event__reporting_agency=police, event__occurred_at__gte=now - dt.timedelta(days=7),
        role=InvolvementRole.MISSING_PERSON, identity__isnull=False, person__isnull=False)
        .exclude(person_id__in=sent).select_related("event", "identity__person")
        .order_by("-event__occurred_at", "pk"))
    home = _early_help_locality()
    row = rows.filter(person__locality_id=home).first() if home else None
    row = row or rows.first()
    return (row.event, row.identity) if row else None


def _pupil(now, education, sent) -> Identity | None:
    """A pupil of 12-15 on a school roll: one whose family member was stopped and searched
    this week first, then one with an older brother or sister of 15-19 (journey 2)."""
    pupils = (Identity.objects.filter(agency=education, school__isnull=False,
                                      person__in=_children(now, 12, 15))
              .exclude(person_id__in=sent).select_related("school", "person").order_by("pk"))
    searched = Involvement.objects.filter(
        event__event_type=EventType.STOP_SEARCH,
        event__occurred_at__gte=now - dt.timedelta(days=7)).values("person_id")
    for others in (searched, _children(now, 15, 19).values("pk")):
        family = Relationship.objects.filter(kind="family", other_id__in=others)
        for pupil in pupils.filter(person_id__in=family.values("person_id"))[:1]:
            return pupil
    return pupils.first()


def _searched_sibling(now, pupil: Identity, sent) -> Person | None:
    """The pupil's older brother or sister, unless one was already stopped and searched this
    week (the city's own record then tells the story)."""
    family = Relationship.objects.filter(kind="family", person_id=pupil.person_id)
    siblings = _children(now, 15, 19).filter(pk__in=family.values("other_id")).exclude(
        pk__in=sent).exclude(pk=pupil.person_id).order_by("date_of_birth", "pk")
    recent = Involvement.objects.filter(
        person_id__in=family.values("other_id"), event__event_type=EventType.STOP_SEARCH,
        event__occurred_at__gte=now - dt.timedelta(days=7))
    return None if recent.exists() else siblings.first()


def _place(rng, kind: str, locality_id) -> Place | None:
    places = Place.objects.filter(place_type=kind).order_by("pk")
    near = places.filter(ward__locality_id=locality_id) if locality_id else places
    choices = list(near[:50]) or list(places[:50])
    return rng.choice(choices) if choices else None


# --- what: each feed's message, as the partner's system writes it ------------------------------

def _iso(moment: dt.datetime) -> str:
    return clock.local(moment).isoformat(timespec="seconds")


def _where(place: Place | None) -> dict:
    if place is None:
        return {}
    where = {"name": place.name, "place_type": place.place_type}
    if place.latitude is not None and place.longitude is not None:
        where.update(latitude=place.latitude, longitude=place.longitude)
    return {"place": where, "location_description": place.name[:200]}


def _identity(identity: Identity, *, role: str = "") -> dict:
    out = {"source_id": identity.source_id, "given_name": identity.given_name,
           "family_name": identity.family_name, "sex": identity.sex or "U",
           "postcode": identity.postcode, "nhs_number": identity.nhs_number}
    if identity.date_of_birth:
        out["date_of_birth"] = identity.date_of_birth.isoformat()
    if role:
        out["role"] = role
    return {k: v for k, v in out.items() if v not in ("", None)}


def _patient(hospital, person: Person) -> dict:
    """The hospital's own record of the patient: theirs if they were seen before, else new,
    with the details the nurse takes (and the NHS number another health record holds)."""
    own = Identity.objects.filter(agency=hospital, person=person).order_by("pk").first()
    if own is not None:
        return _identity(own)
    nhs = (Identity.objects.filter(person=person).exclude(nhs_number="")
           .values_list("nhs_number", flat=True).first() or "")
    postcode = (Identity.objects.filter(person=person).exclude(postcode="")
                .order_by("-address_recorded_at", "-pk").values_list("postcode", flat=True)
                .first() or "")
    details = {"source_id": f"ED-{person.public_id.hex[:10].upper()}",
               "given_name": person.given_name, "family_name": person.family_name,
               "sex": person.sex or "U", "nhs_number": nhs, "postcode": postcode}
    if person.date_of_birth:
        details["date_of_birth"] = person.date_of_birth.isoformat()
    return {k: v for k, v in details.items() if v not in ("", None)}


def _ed(rng, hospital, person, arrived: dt.datetime, place, note: str) -> dict:
    injured = arrived - dt.timedelta(minutes=rng.randint(20, 50))
    message = {"source_reference": f"ED-{clock.local(arrived):%Y%m%d-%H%M}-{rng.randint(100, 999)}",
               "occurred_at": _iso(injured), "arrival_at": _iso(arrived),
               "summary": note or "Assault with a knife; the patient declined a referral.",
               "assault_method": "knife_sharp",
               "location_type": "transport" if place and place.place_type == "transport_hub"
               else "street", **_where(place)}
    if person is not None:
        message.update(rapid_response_referral=True, referral=_patient(hospital, person))
        if (age := age_on(person.date_of_birth, clock.local(arrived).date())) is not None:
            message["patient_age"] = age
    return message


def _return(event: Event, identity: Identity, place, returned: dt.datetime) -> dict:
    """The police's update to the episode: the same reference, now with the return."""
    found = f"Returned; found at {place.name}." if place else "Returned home."
    return {"source_reference": event.source_reference, "occurred_at": _iso(event.occurred_at),
            "reported_at": _iso(event.reported_at), "returned_at": _iso(returned),
            "summary": f"{found} Safe and well check done by the officer.",
            "person": _identity(identity, role=InvolvementRole.MISSING_PERSON), **_where(place)}


def _stop_search(rng, police, person: Person, searched: dt.datetime, place) -> dict:
    """The police's stop and search of the pupil's sibling at a transport hub, two evenings
    ago, entered this morning (as police records often are)."""
    own = Identity.objects.filter(agency=police, person=person).order_by("pk").first()
    searched_person = _identity(own) if own is not None else {
        k: v for k, v in _patient(police, person).items() if k != "nhs_number"}
    if own is None:
        searched_person["source_id"] = f"SS-{person.public_id.hex[:10].upper()}"
    return {"source_reference": f"SS-{clock.local(searched):%Y%m%d-%H%M}-{rng.randint(100, 999)}",
            "occurred_at": _iso(searched), "grounds": "knife",
            "summary": "Stopped and searched on information that young people near the bus "
                       "station were carrying knives. Nothing found.",
            "person": searched_person, **_where(place)}


def _school(rng, pupil: Identity, found: dt.datetime) -> dict:
    return {"source_reference": f"INC-{clock.local(found):%Y%m%d}-{rng.randint(1000, 9999)}",
            "occurred_at": _iso(found), "incident_kind": "knife",
            "summary": "A kitchen knife was found in the pupil's bag during a search after a "
                       "tip-off from another pupil. Parent called; pupil sent home pending the "
                       "risk assessment.",
            "school_urn": pupil.school.urn, "pupil": _identity(pupil, role="pupil")}
