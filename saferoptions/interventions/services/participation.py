"""Participation activities: what happened in a participation strand's meeting or session and
who took part. Not a referral (no consent, no place, no provider access); children are linked
only where the recorder's access decision lets them see the child, so a reference the policy
hides is refused exactly as one that does not exist."""

import datetime as dt
import uuid

from saferoptions.access import policy
from saferoptions.core import clock
from saferoptions.people.models import Person

from ..models import ParticipationActivity, ParticipationChild, Programme
from ..vocabulary import Level
from .common import Refused, audit

# The duty of those who run the participation strands (settings ACCESS_ROLE_RULES): the Hub,
# the locality chairs and the catalogue manager, who also run outreach sessions.
RUNS_PARTICIPATION = "schedule_outreach"
MAX_TAKING_PART = 1000


def _count(value, field: str, who: str) -> int:
    if value is None or not 0 <= value <= MAX_TAKING_PART:
        raise Refused(field, f"Enter how many {who} took part, from 0 to {MAX_TAKING_PART}")
    return value


def _references(text: str) -> list[uuid.UUID]:
    found = []
    for line in (text or "").replace(",", "\n").splitlines():
        if line.strip():
            try:
                found.append(uuid.UUID(line.strip()))
            except ValueError:
                raise Refused("children", f"\"{line.strip()[:40]}\" is not a child's reference: "
                                          "copy it from the child's page") from None
    return list(dict.fromkeys(found))


def _children(actor, text: str) -> list[Person]:
    """The children named by reference whom the recorder may see; any other is refused."""
    wanted = _references(text)
    if not wanted:
        return []
    seen = {p.public_id: p for p in policy.restrict(
        actor, "view", Person.objects.filter(public_id__in=wanted, kind="child"))}
    missing = [ref for ref in wanted if ref not in seen]
    if missing:
        raise Refused("children", f"No child you may see has the reference {missing[0]}")
    return [seen[ref] for ref in wanted]


def _check(actor, programme: Programme, held_on: dt.date, locality, what_happened: str):
    if programme is None or programme.level != Level.PARTICIPATION or not programme.is_active:
        raise Refused("programme", "Choose a participation strand from the list")
    if held_on is None or held_on > clock.today():
        raise Refused("held_on", "The date it was held cannot be in the future")
    if actor.locality_id is not None and (locality is None or locality.pk != actor.locality_id):
        raise Refused("locality", "Choose your own locality")
    if not (what_happened or "").strip():
        raise Refused("what_happened", "Enter what happened")


def record_activity(*, actor, programme: Programme, held_on: dt.date, locality,
                    what_happened: str, young_people: int, parents_carers: int,
                    own_words: str = "", children: str = "") -> ParticipationActivity:
    """Record one activity of a participation strand, with an audit row (ids only)."""
    if not policy.has_duty(actor, RUNS_PARTICIPATION):
        raise Refused("programme", "Only those who run the participation strands record them")
    _check(actor, programme, held_on, locality, what_happened)
    young_people = _count(young_people, "young_people", "young people")
    parents_carers = _count(parents_carers, "parents_carers", "parents and carers")
    if young_people + parents_carers == 0:
        raise Refused("young_people", "Enter how many took part: at least one young person, "
                                      "parent or carer")
    linked = _children(actor, children)
    if len(linked) > young_people:
        raise Refused("children", f"{len(linked)} children are linked but {young_people} young "
                                  "people took part")
    row = ParticipationActivity.objects.create(
        programme=programme, held_on=held_on, locality=locality,
        what_happened=what_happened.strip(), young_people=young_people,
        parents_carers=parents_carers, own_words=(own_words or "").strip(), recorded_by=actor)
    ParticipationChild.objects.bulk_create(
        [ParticipationChild(activity=row, person=p) for p in linked])
    audit(actor, "record_participation", "participation_activity", [row.pk],
          purpose="direct_work" if linked else "", programme=programme.pk,
          children=[p.pk for p in linked])
    return row
