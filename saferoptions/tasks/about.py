"""Who a task is about, as the viewer may see them, and a short "what partners know".

Everything here goes through the access policy's decision for the child: a viewer it lets
open the child's record sees the name, a link to their page and counts of what partners hold
that this viewer may see; anyone else sees a reference and nothing more. Callers audit.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.cases.models import StatutoryClock, TeamAroundChildMember, TeamRole
from saferoptions.core import clock
from saferoptions.events.models import Event, EventType
from saferoptions.interventions.selectors import options_for, ordered
from saferoptions.people.models import Identity, Person

from .models import Task
from .rules import age_on

MISSING_WINDOW_DAYS = 90


@dataclass
class PartnersKnow:
    """Counts a practitioner needs at a glance, each only of what this viewer may see."""

    agency_records: int = 0
    agencies: int = 0
    missing_recently: int = 0
    lead_professionals: list = field(default_factory=list)  # "Name, Agency"
    open_clocks: int = 0


@dataclass
class ChildOnTask:
    """The child as this viewer may see them: a name and link, or only a reference."""

    label: str
    url: str = ""  # their case page
    record_url: str = ""  # their record: what each agency holds
    date_of_birth: dt.date | None = None
    age: int | None = None
    purpose: str = ""
    decision: object = None
    knows: PartnersKnow | None = None

    @property
    def may_open(self) -> bool:
        return self.decision is not None


def reference(person: Person) -> str:
    """The reference a viewer who may not see the child reads instead of a name."""
    return f"Person {str(person.public_id)[:8]}"


def child_on_task(user, task: Task) -> ChildOnTask | None:
    """None when the task is about no child (a place review)."""
    if task.person_id is None:
        return None
    person = task.person
    decision = policy.decision_for(user, person)
    if decision is None:
        return ChildOnTask(label=reference(person))
    return ChildOnTask(label=person.display_name,
                       url=reverse("cases:child", args=[person.public_id]),
                       record_url=reverse("people:detail", args=[person.public_id]),
                       date_of_birth=person.date_of_birth,
                       age=age_on(person.date_of_birth, clock.today()),
                       purpose=decision.purpose, decision=decision,
                       knows=partners_know(decision))


def partners_know(decision) -> PartnersKnow:
    """Agency records linked, missing episodes lately, lead professional and open clocks."""
    person, today = decision.person, clock.today()
    identities = policy.record_rows(decision, Identity.objects.all())
    since = clock.now() - dt.timedelta(days=MISSING_WINDOW_DAYS)
    missing = policy.record_rows(decision, Event.objects.all()).filter(
        event_type=EventType.MISSING_EPISODE, occurred_at__gte=since)
    current = Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    leads = (TeamAroundChildMember.objects.filter(current, person=person, started_on__lte=today,
                                                  role=TeamRole.LEAD_PROFESSIONAL)
             .select_related("user", "user__agency"))
    return PartnersKnow(
        agency_records=identities.count(),
        agencies=identities.values("agency_id").distinct().count(),
        missing_recently=missing.count(),
        lead_professionals=[_named(m.user) for m in leads],
        open_clocks=StatutoryClock.objects.filter(person=person, met_at__isnull=True).count(),
    )


def _named(user) -> str:
    agency = getattr(user.agency, "name", "")
    return f"{user.get_full_name() or user.username}{', ' + agency if agency else ''}"


def programme_choices(child: ChildOnTask | None) -> list[tuple]:
    """Programmes for the risk assessment's "which programme": for a child the viewer may see,
    those they are eligible for first, with this month's free places; else none (all, by name)."""
    if child is None or not child.may_open:
        return []
    eligible, other = ordered(options_for(child.decision.person, route_in="school",
                                          decision=child.decision))
    return ([(o.programme.pk, f"{o.programme.name} (eligible, {max(o.free, 0)} places free "
                              "this month)") for o in eligible]
            + [(o.programme.pk, f"{o.programme.name} (not eligible)") for o in other])
