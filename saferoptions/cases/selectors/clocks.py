"""The managers' list of clocks not yet met: sorted, filtered and paged from the address."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from saferoptions.access import policy
from saferoptions.audit.services import record
from saferoptions.contexts.models import Place
from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality
from saferoptions.core.queues import Filter, QueueQuery, page_of, read_query
from saferoptions.events.models import Event
from saferoptions.people.models import Person

from .. import timescales
from ..models import ClockKind, StatutoryClock

SORTS = (("due", "Due, soonest first"), ("started", "Started, newest first"),
         ("kind", "Clock, then soonest due"))
ORDER = {"due": ("due_at", "pk"), "started": ("-started_at", "-pk"),
         "kind": ("kind", "due_at", "pk")}
STATES = (("overdue", "Overdue"), ("amber", "Due soon"), ("on_time", "On time"))


RHI_KEY = "rhi:event:"  # `services.clocks` starts a return home interview clock under this


def name_episodes(viewer, clocks) -> None:
    """Each return home interview clock's `episode`: the missing episode it is for, where the
    viewer may see that event (None otherwise). A child with two open clocks showed two
    identical rows, and nobody could tell which interview was for which episode."""
    ids = {c: int(c.key.removeprefix(RHI_KEY).split(":")[0]) for c in clocks
           if c.kind == ClockKind.RETURN_HOME_INTERVIEW and c.key.startswith(RHI_KEY)}
    seen = policy.restrict(viewer, "view", Event.objects.filter(pk__in=set(ids.values())))
    episodes = seen.in_bulk()
    places = policy.restrict(viewer, "view", Place.objects.filter(
        pk__in={e.place_id for e in episodes.values()})).in_bulk()
    for c in clocks:
        c.episode = episodes.get(ids.get(c))
        # The place only where the viewer may see it too (places have their own rule).
        c.episode_place = places.get(c.episode.place_id) if c.episode else None


def clock_filters() -> list[Filter]:
    return [
        Filter("state", "Due", STATES, many=True),
        Filter("kind", "Clock", tuple(ClockKind.choices), many=True),
        Filter("locality", "Locality", tuple((str(pk), name) for pk, name in
                                             Locality.objects.values_list("pk", "name")),
               any_label="Every locality"),
        Filter("owner", "Owner", (("me", "Mine"), ("nobody", "Not allocated")),
               any_label="Anyone or nobody"),
        Filter("agency", "Owner's agency", tuple((str(pk), name) for pk, name in
                                                  Agency.objects.values_list("pk", "name")),
               any_label="Any agency"),
    ]


def read_clock_query(params) -> QueueQuery:
    return read_query(params, sorts=SORTS, filters=clock_filters())


@dataclass
class ClockList:
    paged: object
    query: QueueQuery
    counts: Counter = field(default_factory=Counter)  # state code -> clocks


def _filtered(user, query: QueueQuery):
    people = policy.restrict(user, "list", Person.objects.all()).values("pk")
    rows = StatutoryClock.objects.filter(met_at__isnull=True, person__in=people)
    if query.values("kind"):
        rows = rows.filter(kind__in=query.values("kind"))
    if query.value("locality"):
        rows = rows.filter(locality_id=int(query.value("locality")))
    if query.value("owner") == "me":
        rows = rows.filter(owner=user)
    elif query.value("owner") == "nobody":
        rows = rows.filter(owner__isnull=True)
    if query.value("agency"):
        rows = rows.filter(owner__agency_id=int(query.value("agency")))
    return rows


def clock_list(*, user, query: QueueQuery) -> ClockList:
    """One page of the open clocks of the children the manager may see, as asked; the state
    (which moves with time) is worked out here, the rest in the database."""
    now, wanted = clock.now(), set(query.values("state"))
    with transaction.atomic():
        rows = _filtered(user, query).order_by(*ORDER[query.sort])
        counts, ids = Counter(), []
        for pk, started, due in rows.values_list("pk", "started_at", "due_at"):
            code = timescales.state(started, due, None, now).code
            counts[code] += 1
            if not wanted or code in wanted:
                ids.append(pk)
        paged = page_of(query, ids, what="clocks")
        found = StatutoryClock.objects.select_related("person", "owner", "locality").in_bulk(
            list(paged.found.object_list))
        paged.found.object_list = [found[pk] for pk in paged.found.object_list]
        record(actor=user, action="list", object_type="statutory_clock",
               object_ids=list(found), detail={"page": paged.found.number,
                                               "total": paged.total})
    return ClockList(paged, query, counts)
