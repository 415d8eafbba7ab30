"""Opening a child's case through the policy, and the case summary page."""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import transaction
from django.db.models import Q

from saferoptions.access import policy
from saferoptions.access.categories import Purpose
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.events.models import Event, Involvement
from saferoptions.people import ethnicity
from saferoptions.people.models import Ethnicity, Identity, Person

from ..models import (
    OPEN_STATUSES,
    Assessment,
    CaseMeeting,
    ClockKind,
    Concern,
    NrmReferral,
    Plan,
    PlanStatus,
    StatutoryClock,
    TeamAroundChildMember,
    TeamRole,
)
from ..team_rules import authority_for
from ..titles import concern_title
from ..work_sources import open_items
from . import withheld
from .accumulation import tally_for, visible_contributions
from .clocks import name_episodes
from .known_risk import known_for

WORK_PURPOSES = frozenset({Purpose.DIRECT_WORK, Purpose.TRIAGE, Purpose.BREAK_GLASS})


@dataclass
class ChildCase:
    """A child the viewer may open, with the policy's decision (purpose and grants)."""

    person: Person
    decision: policy.Decision

    @property
    def may_change(self) -> bool:
        """Subject access and audit read a record; they never change it."""
        return bool(self.decision.purposes & WORK_PURPOSES)

    @cached_property
    def shows_identity(self) -> bool:
        """Date of birth, age and ethnicity are identity data: shown only where the policy
        grants identity from an agency holding a record of the child, as on the child's page
        (`people.selectors.ShownPerson`). Any category "from any agency" was not enough: the
        viewer's own agency grants every category, holding a record of the child or not."""
        identities = Identity.objects.filter(person=self.person)
        return (policy.record_rows(self.decision, identities).exists()
                or not identities.exists())

    @cached_property
    def ethnicity(self) -> str | None:
        """The child's ethnic group in words, the most recently recorded on the agencies'
        records whose identity data the policy shares with the viewer (`people.ethnicity`);
        None, and no line on the page, where it shares none."""
        if not self.shows_identity:
            return None
        identities = policy.record_rows(self.decision, Identity.objects.all())
        return Ethnicity(ethnicity.latest_among(identities)).label

    @property
    def age(self) -> int | None:
        born = self.person.date_of_birth
        if born is None or not self.shows_identity:
            return None
        today = clock.today()
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @cached_property
    def visible_event_ids(self) -> frozenset:
        """Ids of the child's events the viewer may see (read once per page)."""
        return frozenset(policy.record_rows(self.decision, Event.objects.all())
                         .values_list("pk", flat=True))

    def concerns(self):
        """The child's concerns the viewer may see (one from a hidden event stays hidden)."""
        seen = self.visible_event_ids
        return Concern.objects.filter(Q(event__isnull=True) | Q(event__in=seen),
                                      person=self.person)

    @cached_property
    def withheld(self) -> list[str]:
        """For someone working with the child (triage, direct work, break-glass): one line per
        agency whose records about the child they may not see, and whom to ask. Never for
        anyone else: they get the common 404 before this is asked."""
        if not self.decision.purposes & WORK_PURPOSES:
            return []
        every = set(Involvement.objects.filter(person=self.person)
                    .values_list("event_id", flat=True))
        return withheld.notices(self.person, every - self.visible_event_ids)

    @cached_property
    def sibling_events(self) -> list:
        """A sibling's events the same agreements let the viewer see, newest first: shown as
        "a sibling", never who (the viewer may not be able to open the sibling)."""
        rows = policy.sibling_event_rows(self.decision, Event.objects.all())
        return list(rows.select_related("reporting_agency", "place").order_by("-occurred_at"))


def find_child(user, person: Person | None, *, purpose=None) -> ChildCase | None:
    """The policy's answer for one person (None: the caller's 404). No audit row."""
    if person is None:
        return None
    decision = policy.decision_for(user, person, purpose=purpose)
    return ChildCase(person, decision) if decision else None


def open_child(user, public_id, *, what: str, change: bool = False,
               purpose=None) -> ChildCase | None:
    """One child's case for a page, audited (a miss is audited as denied, with the reference)."""
    person = Person.objects.filter(public_id=public_id, merged_into__isnull=True).first()
    child = find_child(user, person, purpose=purpose)
    if child is not None and change and not child.may_change:
        child = None
    if child is None:
        record(actor=user, action="deny", object_type=what, outcome="denied",
               detail={"reference": str(public_id)})
        return None
    record(actor=user, action="change" if change else "view", object_type=what,
           object_ids=[person.pk], purpose=child.decision.purpose)
    return child


@dataclass
class CaseSummary:
    child: ChildCase
    team: list = field(default_factory=list)
    concerns: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    clocks: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    tally: object = None
    contributions: list = field(default_factory=list)
    known: object = None  # what is known (child's page only; never on the triage picture)
    # The viewer's team's open tasks about the child (the work they may open), soonest due.
    team_work: list = field(default_factory=list)

    @property
    def open_assessment(self):
        return next((a for a in self.assessments if a.status in OPEN_STATUSES), None)

    @property
    def lead(self):
        """The lead professional (the first named, if several), for the summary at the top."""
        return next((m for m in self.team if m.role == TeamRole.LEAD_PROFESSIONAL), None)


def case_summary(*, user, public_id) -> CaseSummary | None:
    """The child's pathway on one page: team, concerns, assessment, plans, clocks."""
    with transaction.atomic():
        child = open_child(user, public_id, what="case")
        if child is None:
            return None
        summary = _summary(child)
        summary.known = known_for(child, user=user, today=clock.today())
        summary.team_work = open_items(team_id=user.team_id, person_ids=[child.person.pk])
        _who_may_end(summary, user)
        _name_concerns(summary)
        name_episodes(user, summary.clocks)
        return summary


def _who_may_end(summary: CaseSummary, user) -> None:
    """Each member's `may_end`: whether `team_rules` (the one table, which the service applies
    again on the POST) lets this viewer end their membership; the page offers no more."""
    child = summary.child
    for member in summary.team:
        member.may_end = (child.may_change and not child.decision.is_break_glass
                          and authority_for(user, child.person, member.user) is not None)


TRIAGE_KEY = "triage:concern:"  # the key `services.triage` starts a concern's clock under


def _name_concerns(summary: CaseSummary) -> None:
    """A Hub decision clock names its concern in the rule's words (`titles.concern_title`),
    for a concern the viewer may see here; one from a hidden event stays unnamed."""
    clocks = [c for c in summary.clocks if c.kind == ClockKind.TRIAGE_DECISION]
    ids = {c: int(c.key.removeprefix(TRIAGE_KEY)) for c in clocks
           if c.key.startswith(TRIAGE_KEY) and c.key.removeprefix(TRIAGE_KEY).isdigit()}
    seen = summary.child.concerns().in_bulk(set(ids.values()))
    for row in summary.clocks:
        row.concern = seen.get(ids.get(row))
        row.concern_title = concern_title(row.concern) if row.concern else ""
    for concern in summary.concerns:  # the list below names them the same way
        concern.title = concern_title(concern)


def _summary(child: ChildCase) -> CaseSummary:
    person, today = child.person, clock.today()
    current = Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    tally = tally_for(person, today=today)
    return CaseSummary(
        child=child,
        team=list(TeamAroundChildMember.objects.filter(current, person=person,
                                                       started_on__lte=today)
                  .select_related("user", "user__agency").order_by("role", "pk")),
        concerns=list(child.concerns().order_by("-raised_at")[:20]),
        assessments=list(_records(child, Assessment).order_by("-started_at")),
        plans=list(_records(child, Plan).filter(status=PlanStatus.OPEN)
                   .prefetch_related("actions", "groups", "places")),
        clocks=list(StatutoryClock.objects.filter(person=person).order_by("met_at", "due_at")
                    [:50]),
        meetings=list(CaseMeeting.objects.filter(person=person).order_by("-held_on")[:10]),
        referrals=list(_records(child, NrmReferral).order_by("-referred_on")),
        tally=tally, contributions=visible_contributions(child, tally),
    )


def _records(child: ChildCase, model):
    """The child's case records of one kind that the decision's categories cover."""
    return policy.record_rows(child.decision, model.objects.all())


def open_case_record(user, queryset, pk, *, what: str, change: bool = False):
    """(record, child) for a case record the user may open through its child; None: the 404.

    Call inside the request's transaction: the audit row is written here.
    """
    row = queryset.filter(pk=pk).select_related("person").first() if str(pk).isdigit() else None
    child = find_child(user, row.person if row else None)
    if child is not None and change and not child.may_change:
        child = None
    if child is not None and queryset.model in policy.case_records() and not policy.record_rows(
            child.decision, queryset.model.objects.filter(pk=row.pk)).exists():
        child = None  # another agency's case record, not covered by an agreement
    if child is None:
        record(actor=user, action="deny", object_type=what, outcome="denied",
               detail={"reference": str(pk)})
        return None
    record(actor=user, action="change" if change else "view", object_type=what,
           object_ids=[row.pk], purpose=child.decision.purpose,
           detail={"person": child.person.pk})
    return row, child
