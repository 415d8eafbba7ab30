"""Participation activities: what happened in a participation strand's meeting or session and
who took part. Not a referral (no consent, no place, no provider access); children are linked
only where the recorder's access decision lets them see the child, so a reference the policy
hides is refused exactly as one that does not exist."""

import datetime as dt
import uuid

from django.db import transaction

from saferoptions.access import policy
from saferoptions.cases.services import corrections
from saferoptions.cases.services.common import Refused as PathwayRefused
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


def _check(actor, programme: Programme, held_on: dt.date, locality, what_happened: str, *,
           locality_as_recorded: bool = False):
    if programme is None or programme.level != Level.PARTICIPATION or not programme.is_active:
        raise Refused("programme", "Choose a participation strand from the list")
    if held_on is None or held_on > clock.today():
        raise Refused("held_on", "The date it was held cannot be in the future")
    # A locality's own user records in their locality; a correction may leave it as it was.
    if actor.locality_id is not None and not locality_as_recorded and (
            locality is None or locality.pk != actor.locality_id):
        raise Refused("locality", "Choose your own locality")
    if not (what_happened or "").strip():
        raise Refused("what_happened", "Enter what happened")


def _checked_counts(young_people, parents_carers, linked) -> tuple[int, int]:
    young_people = _count(young_people, "young_people", "young people")
    parents_carers = _count(parents_carers, "parents_carers", "parents and carers")
    if young_people + parents_carers == 0:
        raise Refused("young_people", "Enter how many took part: at least one young person, "
                                      "parent or carer")
    if linked > young_people:
        raise Refused("children", f"{linked} children are linked but {young_people} young "
                                  "people took part")
    return young_people, parents_carers


def record_activity(*, actor, programme: Programme, held_on: dt.date, locality,
                    what_happened: str, young_people: int, parents_carers: int,
                    own_words: str = "", children: str = "") -> ParticipationActivity:
    """Record one activity of a participation strand, with an audit row (ids only)."""
    if not policy.has_duty(actor, RUNS_PARTICIPATION):
        raise Refused("programme", "Only those who run the participation strands record them")
    _check(actor, programme, held_on, locality, what_happened)
    linked = _children(actor, children)
    young_people, parents_carers = _checked_counts(young_people, parents_carers, len(linked))
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


OBJECT_TYPE = "participation_activity"
# Its corrections' `Revision` rows (whose object type is at most 20 characters).
REVISION_TYPE = "participation"
CHILDREN = "children"  # its links are not a field: the history says they changed, not who


def _locked(actor, activity: ParticipationActivity) -> ParticipationActivity:
    if not policy.has_duty(actor, RUNS_PARTICIPATION):
        raise Refused("reason", "Only those who run the participation strands change them")
    return ParticipationActivity.objects.select_for_update().get(pk=activity.pk)


def correct_activity(*, actor, activity: ParticipationActivity, programme: Programme,
                     held_on: dt.date, locality, what_happened: str, young_people: int,
                     parents_carers: int, own_words: str = "", children: str = "",
                     reason: str) -> ParticipationActivity:
    """Correct an activity with a reason: the old and new value of each field are kept as
    its history (`Revision`), audited "correct". The linked children are those the corrector
    named plus any they may not see (left as they were); the history says the links changed,
    the audit row which ids were added and removed."""
    _check(actor, programme, held_on, locality, what_happened,
           locality_as_recorded=getattr(locality, "pk", None) == activity.locality_id)
    wanted = _children(actor, children)
    with transaction.atomic():
        row = _locked(actor, activity)
        links = dict(ParticipationChild.objects.filter(activity=row)
                     .values_list("person_id", "pk"))
        seen = {p.pk for p in policy.restrict(actor, "view",
                                              Person.objects.filter(pk__in=links))}
        kept_hidden = [pk for pk in links if pk not in seen]
        now = [p.pk for p in wanted]
        young_people, parents_carers = _checked_counts(young_people, parents_carers,
                                                       len(now) + len(kept_hidden))
        added = [pk for pk in now if pk not in links]
        removed = [pk for pk in seen if pk not in now]
        values = {"programme": programme, "held_on": held_on, "locality": locality,
                  "what_happened": what_happened.strip(), "young_people": young_people,
                  "parents_carers": parents_carers, "own_words": (own_words or "").strip()}
        try:
            reason = corrections.checked_reason(reason, "the correction")
            corrections.still_on_record(row)
            changed = corrections.differences(row, values)
            if not changed and not (added or removed):
                raise Refused("what_happened", "Nothing has changed: change what was wrong, "
                                               "then give the reason.")
            for name, (_, new) in changed.items():
                setattr(row, name, new)
            if changed:
                row.save(update_fields=list(changed))
            if added or removed:
                changed[CHILDREN] = ("", "the children linked were changed")
            revision = corrections.keep_revision(actor=actor, object_type=REVISION_TYPE,
                                                 row=row, changed=changed, reason=reason)
        except PathwayRefused as error:
            raise Refused(error.field, error.message) from None
        ParticipationChild.objects.filter(activity=row, person_id__in=removed).delete()
        ParticipationChild.objects.bulk_create(
            [ParticipationChild(activity=row, person_id=pk) for pk in added])
        audit(actor, "correct", OBJECT_TYPE, [row.pk],
              purpose="direct_work" if added or removed else "", fields=sorted(changed),
              version=revision.version, children_added=added, children_removed=removed)
    return row


def withdraw_activity(*, actor, activity: ParticipationActivity,
                      reason: str) -> ParticipationActivity:
    """An activity recorded in error: kept, marked withdrawn with a reason, out of the counts,
    audited "withdraw"."""
    with transaction.atomic():
        row = _locked(actor, activity)
        try:
            return corrections.withdraw(actor=actor, object_type=OBJECT_TYPE, row=row,
                                        reason=reason, purpose="")
        except PathwayRefused as error:
            raise Refused(error.field, error.message) from None
