"""A worker's own clocks, assessments and plan actions (the managers' clocks list: clocks.py)."""

from dataclasses import dataclass, field

from django.db import transaction

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.people.models import Person

from ..models import OPEN_STATUSES, ActionStatus, Assessment, PlanAction
from .caseload import my_clocks
from .clocks import name_episodes

# Each list on "My work" shows at most this many rows, soonest due first (the children list
# above them is paged; these say when there are more).
LIMIT = 50


@dataclass
class MyWork:
    clocks: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    to_approve: list = field(default_factory=list)
    more: set = field(default_factory=set)  # names of the lists cut at LIMIT

    @property
    def more_clocks(self) -> bool:
        return "clocks" in self.more


def _cut(work: MyWork) -> MyWork:
    for name in ("clocks", "assessments", "actions", "to_approve"):
        rows = getattr(work, name)
        if len(rows) > LIMIT:
            setattr(work, name, rows[:LIMIT])
            work.more.add(name)
    return work


def _visible_people(user):
    return policy.restrict(user, "list", Person.objects.all()).values("pk")


def my_work(*, user) -> MyWork:
    """Open clocks (caseload.my_clocks), assessments and plan actions that are this worker's."""
    with transaction.atomic():
        people = _visible_people(user)
        work = MyWork(
            clocks=list(my_clocks(user).select_related("person")
                        .order_by("due_at", "pk")[:LIMIT + 1]),
            assessments=list(Assessment.objects.filter(worker=user, person__in=people,
                                                       status__in=OPEN_STATUSES)
                             .select_related("person").order_by("due_on")[:LIMIT + 1]),
            actions=list(PlanAction.objects.filter(
                owner=user, plan__person__in=people, withdrawn_at__isnull=True,
                status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
            ).select_related("plan__person").order_by("due_on")[:LIMIT + 1]),
            to_approve=list(Assessment.objects.filter(status="submitted", person__in=people)
                            .exclude(worker=user).select_related("person", "worker")
                            .order_by("due_on")[:LIMIT + 1]),
        )
        _cut(work)
        name_episodes(user, work.clocks)
        ids = {c.person_id for c in work.clocks} | {a.person_id for a in work.assessments}
        record(actor=user, action="list", object_type="my_work", object_ids=sorted(ids))
    return work
