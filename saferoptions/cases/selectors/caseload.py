"""Caseloads: the children a worker works with, and a team manager's view of the team's work.

A worker's children are their current memberships of the team around the child; the tasks
shown are their own team's (the tasks they may open), and the clocks their own: owned by them
or their team, or a clock nobody owns that their part in the child's team answers for
(`answers_for_unowned`). A health practitioner on a child's team does not carry the social
worker's conference clock or the Hub's triage decision. Every list is read through the access
policy, paged 50 rows at a time, and audited in the same transaction.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import AgencyKind, User
from saferoptions.people.models import Person

from .. import timescales, work_sources
from ..models import ClockKind, StatutoryClock, TeamAroundChildMember, TeamRole
from .clocks import name_episodes

PAGE_SIZE = 50
SEVERITY = {timescales.OVERDUE: 0, timescales.AMBER: 1, timescales.ON_TIME: 2}


@dataclass
class ChildWork:
    """One child on a caseload: who works with them, their open clocks and open tasks."""

    person: Person
    roles: list = field(default_factory=list)  # (worker, role in the team) pairs
    clocks: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    shown: object = None  # the child as the reader may see them (people.selectors.ShownPerson)

    @property
    def soonest(self):
        dues = [c.due_at for c in self.clocks] + [t.due_at for t in self.tasks]
        return min(dues) if dues else None

    @property
    def overdue(self) -> int:
        return sum(1 for i in [*self.clocks, *self.tasks] if i.state.code == timescales.OVERDUE)

    @property
    def due_soon(self) -> int:
        return sum(1 for i in [*self.clocks, *self.tasks] if i.state.code == timescales.AMBER)


def current_memberships(**where):
    """Memberships of the team around the child in force today."""
    today = clock.today()
    return TeamAroundChildMember.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today), started_on__lte=today, **where)


# A clock nobody owns (a return home interview started by a partner's feed) is the local
# authority's statutory duty: its social care and early help workers answer for it, and so does
# the child's lead professional, whichever agency they are from. The Hub's triage decision is
# the Hub's, worked on its triage queue, never a caseload's.
UNOWNED_ANSWERED_BY = (AgencyKind.SOCIAL_CARE, AgencyKind.EARLY_HELP)


def answers_for_unowned(membership) -> bool:
    """Whether this member of the team around the child answers for the child's unowned clocks."""
    return (membership.role == TeamRole.LEAD_PROFESSIONAL
            or membership.user.agency.kind in UNOWNED_ANSWERED_BY)


def own_clocks(viewer, team_id, memberships):
    """Open clocks that are the viewer's (or their team's) work, of these memberships' children."""
    ids = {m.person_id for m in memberships}
    answered = {m.person_id for m in memberships if answers_for_unowned(m)}
    owned = Q(owner_id=viewer.pk) | (Q(owner__team_id=team_id) if team_id else Q())
    unowned = Q(owner__isnull=True, person_id__in=answered) & ~Q(kind=ClockKind.TRIAGE_DECISION)
    return StatutoryClock.objects.filter(
        Q(person_id__in=ids) & (Q(owner__isnull=False) & owned | unowned), met_at__isnull=True)


def children_of(viewer, memberships, team_id) -> list[ChildWork]:
    """The children of these memberships the viewer may list, with clocks and team tasks."""
    ids = {m.person_id for m in memberships}
    people = policy.restrict(viewer, "list", Person.objects.filter(
        pk__in=ids, merged_into__isnull=True))
    rows = {p.pk: ChildWork(person=p) for p in people}
    for m in memberships:
        if m.person_id in rows:
            rows[m.person_id].roles.append((m.user, m.get_role_display()))
    seen = [m for m in memberships if m.person_id in rows]
    clocks = list(own_clocks(viewer, team_id, seen).order_by("due_at"))
    name_episodes(viewer, clocks)
    for c in clocks:
        rows[c.person_id].clocks.append(c)
    for item in work_sources.open_items(team_id=team_id, person_ids=list(rows)):
        rows[item.person_id].tasks.append(item)
    return _soonest_first(rows.values())


def _soonest_first(rows) -> list[ChildWork]:
    # Sorts after every real due time; not now().replace(year=...), which fails on 29 February.
    never = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(rows, key=lambda r: (r.soonest or never, r.person.display_name))


@dataclass
class WorkerLoad:
    """One worker of the team: how many children, and how much of their work is late."""

    worker: User
    children: int = 0
    overdue: int = 0
    due_soon: int = 0
    tasks: int = 0


@dataclass
class TeamCaseload:
    workers: object  # a page of WorkerLoad
    unallocated: object  # a page of the team's open tasks about no child of the team
    overdue: object  # a page of ChildWork with overdue clocks or tasks
    children: object = None  # a page of one worker's children, when one is chosen
    chosen: User | None = None
    unallocated_rows: list = field(default_factory=list)  # (task, how the child appears)


def team_workers(manager):
    """The active members of the manager's own team (whom they may allocate to)."""
    if manager.team_id is None:
        return User.objects.none()
    return User.objects.filter(team_id=manager.team_id, is_active=True).order_by(
        "last_name", "first_name", "username")


def team_caseload(*, user, pages: dict, worker_id=None) -> TeamCaseload:
    """The team's caseload per worker, unallocated and overdue work; one audit row."""
    with transaction.atomic():
        workers = list(team_workers(user))
        memberships = list(current_memberships(user__in=workers).select_related("user__agency"))
        rows = children_of(user, memberships, user.team_id)
        loads = _loads(workers, rows)
        unallocated = [i for i in work_sources.open_items(team_id=user.team_id)
                       if i.person_id not in {r.person.pk for r in rows}]
        late = [r for r in rows if r.overdue]
        result = TeamCaseload(
            workers=_page(loads, pages.get("page")),
            unallocated=_page(unallocated, pages.get("unallocated_page")),
            overdue=_page(late, pages.get("overdue_page")))
        labels = _labels(user, [i.person_id for i in result.unallocated])
        result.unallocated_rows = [(i, labels.get(i.person_id, "No child named"))
                                   for i in result.unallocated]
        chosen = next((w for w in workers if str(w.pk) == str(worker_id)), None)
        if chosen is not None:
            result.chosen = chosen
            result.children = _page([r for r in rows if any(w == chosen for w, _ in r.roles)],
                                    pages.get("children_page"))
        shown = {r.person.pk for r in [*result.overdue, *(result.children or [])]}
        record(actor=user, action="list", object_type="team_caseload",
               object_ids=sorted(shown), purpose="direct_work",
               detail={"workers": [w.worker.pk for w in result.workers],
                       "tasks": [i.item_id for i in result.unallocated]})
    return result


def _page(rows, number):
    return Paginator(list(rows), PAGE_SIZE).get_page(number or 1)


def _loads(workers, rows: list[ChildWork]) -> list[WorkerLoad]:
    loads = {w.pk: WorkerLoad(worker=w) for w in workers}
    children = defaultdict(set)
    for row in rows:
        for worker, _ in row.roles:
            load = loads.get(worker.pk)
            if load is None or row.person.pk in children[worker.pk]:
                continue
            children[worker.pk].add(row.person.pk)
            load.children += 1
            load.overdue += row.overdue
            load.due_soon += row.due_soon
            load.tasks += len(row.tasks)
    return list(loads.values())


def _labels(user, person_ids) -> dict:
    """How each child of an unallocated task appears: a name only if the policy allows."""
    ids = {p for p in person_ids if p is not None}
    people = Person.objects.filter(pk__in=ids)
    labels = {p.pk: f"A child (reference {str(p.public_id)[:8]})" for p in people}
    for person in policy.restrict(user, "list", people):
        labels[person.pk] = person.display_name
    return labels


# --- counts for the home page (numbers only: no child is named, so no audit row) ------------

def _open_clocks(person_ids):
    return StatutoryClock.objects.filter(person_id__in=person_ids, met_at__isnull=True)


def _my_children(user):
    """The user's current memberships, and the children among them the policy lets them list."""
    memberships = list(current_memberships(user=user).select_related("user__agency"))
    mine = policy.restrict(user, "list", Person.objects.filter(
        pk__in={m.person_id for m in memberships}, merged_into__isnull=True)).values("pk")
    return memberships, mine


def my_clocks(user, memberships=None, mine=None):
    """Every open clock that is the user's work: the ones they own, and the ones the rows of
    "Children I work with" show them (their team's, and the unowned return home interviews
    their part in the child's team answers for). My work's clock list and the home page's
    counts read this one set, so neither says "No open clocks" beside a child's amber clock."""
    if memberships is None:
        memberships, mine = _my_children(user)
    seen = set(mine.values_list("pk", flat=True))
    children = own_clocks(user, user.team_id, [m for m in memberships if m.person_id in seen])
    return children | StatutoryClock.objects.filter(
        owner=user, person__in=_visible(user), met_at__isnull=True)


def home_counts(user) -> dict:
    """How much of the user's work is waiting, by kind; only what the policy lets them see."""
    memberships, mine = _my_children(user)
    now = clock.now()
    clocks = list(my_clocks(user, memberships, mine))
    late = [c for c in clocks if c.state.code in (timescales.OVERDUE, timescales.AMBER)]
    counts = {"children": mine.count(), "clocks_due": len(late),
              "clocks_overdue": sum(1 for c in late if c.due_at < now)}
    if policy.has_duty(user, "allocate_within_team") and user.team_id is not None:
        team = current_memberships(user__team_id=user.team_id,
                                   user__is_active=True).values("person_id")
        seen = policy.restrict(user, "list", Person.objects.filter(pk__in=team)).values("pk")
        counts["team_overdue"] = _open_clocks(seen).filter(due_at__lt=now).count()
    return counts


def _visible(user):
    return policy.restrict(user, "list", Person.objects.all()).values("pk")
