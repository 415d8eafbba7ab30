"""The Hub's triage queue and the one-screen picture of what partners know about a child."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from saferoptions.access import policy
from saferoptions.access.categories import Purpose
from saferoptions.audit.services import record
from saferoptions.contexts.models import Group, GroupMembership, Place
from saferoptions.events.models import Event
from saferoptions.people.models import Identity, Person

from ..models import Concern
from .child import ChildCase, _summary


def may_triage(user) -> bool:
    return policy.has_duty(user, "triage_concerns")


def _queue_q(user) -> Q:
    """Concerns in the user's locality queue about children the policy lets them triage."""
    people = policy.restrict(user, "list", Person.objects.all(), purpose=Purpose.TRIAGE)
    q = Q(person__in=people.values("pk")) | Q(person__isnull=True)
    if user.locality_id is not None:
        q &= Q(locality_id=user.locality_id)
    return q


def triage_queue(*, user, decided: bool = False) -> list[Concern]:
    """Concerns waiting for a decision (or recently decided), oldest clock first."""
    if not may_triage(user):
        return []
    with transaction.atomic():
        rows = Concern.objects.filter(_queue_q(user), outcome__isnull=False)
        rows = rows.exclude(outcome="") if decided else rows.filter(outcome="")
        order = "-decided_at" if decided else "due_at"
        rows = list(rows.select_related("person", "referrer_agency", "locality")
                    .order_by(order)[:200])
        record(actor=user, action="list", object_type="concern", object_ids=[c.pk for c in rows],
               purpose=Purpose.TRIAGE)
    return rows


@dataclass
class TriagePicture:
    """One concern and, when the child is known, what partners know, on one screen."""

    concern: Concern
    summary: object = None
    identities: list = field(default_factory=list)
    events: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    group_choices: list = field(default_factory=list)
    place_choices: list = field(default_factory=list)


def concern_for_triage(*, user, pk: int) -> TriagePicture | None:
    """The concern and the partners' picture (None: the same 404 for absent or not allowed)."""
    with transaction.atomic():
        concern = None
        if may_triage(user):
            concern = Concern.objects.filter(_queue_q(user), pk=pk).select_related(
                "person", "referrer_agency", "event").first()
        if concern is None:
            record(actor=user, action="deny", object_type="concern", outcome="denied",
                   purpose=Purpose.TRIAGE, detail={"reference": str(pk)})
            return None
        picture = _picture(user, concern)
        record(actor=user, action="view", object_type="concern", object_ids=[concern.pk],
               purpose=Purpose.TRIAGE, detail={
                   "person": concern.person_id, "events": [e.pk for e in picture.events]})
    return picture


def _picture(user, concern: Concern) -> TriagePicture:
    picture = TriagePicture(concern=concern)
    picture.group_choices = list(policy.restrict(user, "list", Group.objects.all())[:200])
    picture.place_choices = list(policy.restrict(user, "list", Place.objects.all())[:200])
    if concern.person is None:
        return picture
    decision = policy.decision_for(user, concern.person, purpose=Purpose.TRIAGE)
    if decision is None:
        return picture
    picture.summary = _summary(ChildCase(concern.person, decision))
    picture.identities = list(policy.record_rows(decision, Identity.objects.all())
                              .select_related("agency"))
    picture.events = list(policy.record_rows(decision, Event._default_manager.all())
                          .select_related("reporting_agency", "place")
                          .order_by("-occurred_at")[:50])
    picture.groups = list(policy.record_rows(decision, GroupMembership.objects.all())
                          .select_related("group"))
    return picture
