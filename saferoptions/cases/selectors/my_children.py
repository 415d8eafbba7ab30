"""The children I work with (the first list on My work), sorted and filtered as the reader
asks, in the address, like the other queues (core.queues): the police officer and the
clinical psychologist, whose caseload is this list, could not put it in any other order.

Sorting by name uses the name the reader is shown: a child whose identity their agency is not
granted reads "(name not known)" and sorts there, so the order never hints at a hidden name.
"""

import datetime as dt

from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.core.queues import Filter, QueueQuery, page_of, read_query
from saferoptions.people.selectors import shown_people

from .. import timescales
from .caseload import ChildWork, children_of, current_memberships

SORTS = (("due", "Soonest due first"), ("late", "Most overdue work first"),
         ("name", "Child's name, A to Z"), ("joined", "Joined their team, newest first"))
NOTHING = "none"
WORK = ((timescales.OVERDUE, "Overdue"), (timescales.AMBER, "Due soon"),
        (timescales.ON_TIME, "On time"), (NOTHING, "Nothing open"))


def read_children_query(params) -> QueueQuery:
    return read_query(params, sorts=SORTS,
                      filters=(Filter("work", "Open clocks and tasks", WORK, many=True),))


def _matches(row: ChildWork, wanted) -> bool:
    if not wanted:
        return True
    states = {i.state.code for i in [*row.clocks, *row.tasks]} or {NOTHING}
    return bool(states & set(wanted))


def _ordered(rows: list[ChildWork], sort: str, joined: dict) -> list[ChildWork]:
    """`rows` come soonest due first; the other orders keep that as their tie-break."""
    if sort == "late":
        return sorted(rows, key=lambda r: (-r.overdue, -r.due_soon))
    if sort == "name":
        return sorted(rows, key=lambda r: r.shown.display_name.casefold())
    if sort == "joined":
        return sorted(rows, key=lambda r: joined[r.person.pk], reverse=True)
    return rows


def my_children(*, user, query: QueueQuery):
    """The children I work with, as asked, 50 to a page (one audit row per page)."""
    with transaction.atomic():
        memberships = list(current_memberships(user=user).select_related("user__agency"))
        rows = children_of(user, memberships, user.team_id)
        shown = shown_people(user=user, people=[r.person for r in rows])
        joined = {}
        for m in memberships:
            joined[m.person_id] = max(joined.get(m.person_id, dt.date.min), m.started_on)
        for row in rows:
            row.shown = shown[row.person.pk]
        rows = [r for r in rows if _matches(r, query.values("work"))]
        paged = page_of(query, _ordered(rows, query.sort, joined), what="children")
        record(actor=user, action="list", object_type="my_children",
               object_ids=[r.person.pk for r in paged.rows], purpose="direct_work",
               detail={"page": paged.found.number, "total": paged.total})
    return paged
