"""Who or where a task is about, as the viewer may see them, and a short "what partners know".

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
from saferoptions.contexts.case_selectors import children_of, visible_cases
from saferoptions.contexts.models import CaseStatus, ContextCase, ContextKind, Place
from saferoptions.contexts.permissions import may_refer_place
from saferoptions.core import clock
from saferoptions.events.models import Event, EventType
from saferoptions.interventions.selectors import options_for, ordered
from saferoptions.people.ages import age_on
from saferoptions.people.models import Identity, Person
from saferoptions.people.selectors import shown_people

from .models import Task

MISSING_WINDOW_DAYS = 90


@dataclass
class PartnersKnow:
    """Counts a practitioner needs at a glance, each only of what this viewer may see."""

    agency_records: int = 0
    agencies: int = 0
    missing_recently: int = 0
    lead_professionals: list = field(default_factory=list)  # "Name, Agency"
    open_clocks: int = 0
    # A brother's or sister's events of the last fortnight the agreements let the viewer see
    # (journey 2: the pupil's brother stopped and searched at the weekend), never who.
    sibling_events: list = field(default_factory=list)


@dataclass
class ChildOnTask:
    """The child as this viewer may see them: a name and link, or only a reference."""

    label: str
    url: str = ""  # their case page
    record_url: str = ""  # their record: what each agency holds
    # Find support for them: there only where the policy lets the viewer open the child, the
    # same decision find support itself takes.
    support_url: str = ""
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
    shown = shown_people(user=user, people=[person])[person.pk]  # names only if granted
    return ChildOnTask(label=shown.display_name,
                       url=reverse("cases:child", args=[person.public_id]),
                       record_url=reverse("people:detail", args=[person.public_id]),
                       support_url=reverse("interventions:find-support",
                                           args=[person.public_id]),
                       date_of_birth=shown.date_of_birth,
                       age=age_on(shown.date_of_birth, clock.today()),
                       purpose=decision.purpose, decision=decision,
                       knows=partners_know(decision))


RECENT_EVENTS_DAYS = 90
CHILDREN_SHOWN = 20  # a busy place links to more: the place's page pages the rest


@dataclass
class PlaceOnTask:
    """A place review's place as this viewer may see it: what the Hub needs to decide."""

    place: Place
    url: str
    recent_events: int  # events there in the last 90 days that this viewer may see
    children: list  # (name, link) of the children linked to the place whom the viewer may see
    more_children: int  # visible children beyond the first CHILDREN_SHOWN
    not_shown: str  # children the viewer may not see: a count, suppressed when small
    review: ContextCase | None = None  # the open place review (context case), if any
    review_url: str = ""
    refer_url: str = ""  # where to open one, when none is open and the viewer may

    @property
    def person_ids(self) -> list[int]:
        return [pk for pk, _name, _url in self.children]


def place_on_task(user, task: Task) -> PlaceOnTask | None:
    """None when the task names no place, or names one the policy hides from this viewer
    (then the page says nothing of it: forbidden looks like absent). Callers audit."""
    if task.place_id is None:
        return None
    place = policy.restrict(user, "view", Place.objects.filter(pk=task.place_id)).first()
    if place is None:
        return None
    since = clock.now() - dt.timedelta(days=RECENT_EVENTS_DAYS)
    recent = policy.restrict(user, "view", Event.objects.filter(
        place_id=place.pk, occurred_at__gte=since)).count()
    # The children the place's review lists (the same rule as the context case page: people
    # in events there and children the Hub routed to it), named only as the policy allows.
    linked = children_of(user, ContextCase(kind=ContextKind.PLACE, place=place))
    review = (visible_cases(user).filter(kind=ContextKind.PLACE, place_id=place.pk)
              .exclude(status=CaseStatus.CLOSED).order_by("-opened_at", "-pk").first())
    shown = linked.visible[:CHILDREN_SHOWN]
    names = shown_people(user=user, people=shown)
    return PlaceOnTask(
        place=place, url=reverse("contexts:place", args=[place.pk]), recent_events=recent,
        children=[(p.pk, names[p.pk].display_name, reverse("cases:child", args=[p.public_id]))
                  for p in shown],
        more_children=len(linked.visible) - len(shown), not_shown=linked.not_shown,
        review=review, review_url=reverse("contexts:case", args=[review.pk]) if review else "",
        refer_url=reverse("contexts:refer") if review is None and may_refer_place(user) else "")


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
        sibling_events=_sibling_events(decision),
    )


SIBLING_WINDOW_DAYS = 14
SIBLING_EVENTS_SHOWN = 3


def _sibling_events(decision) -> list:
    since = clock.now() - dt.timedelta(days=SIBLING_WINDOW_DAYS)
    rows = policy.sibling_event_rows(decision, Event.objects.all()).filter(
        occurred_at__gte=since).select_related("place", "reporting_agency").order_by(
        "-occurred_at", "-pk")
    return list(rows[:SIBLING_EVENTS_SHOWN])


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
