"""Reads of places and groups, with the people in them shown only as the policy allows."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import QueryDict

from saferoptions.access import policy
from saferoptions.analytics.suppression import suppress_count
from saferoptions.audit.services import record
from saferoptions.core.numbers import whole_number
from saferoptions.core.queues import Paged, page_of, read_query
from saferoptions.events.models import Event, Involvement
from saferoptions.people import selectors as people_selectors
from saferoptions.people.models import Person

from .models import ContextCase, Group, GroupMembership, Place, PlaceStatus

# A busy place or a large group has more people and events than a page: each list is paged
# under its own name in the address, so turning one keeps the other's page.
PEOPLE_ORDER = (("name", "By family name"),)
EVENTS_ORDER = (("recent", "Most recent first"),)


@dataclass(frozen=True)
class ContextPage:
    """A place or group, the people the user may see, how many others (suppressed), events;
    `people` and `events` are the page of each shown, `people_pages` and `event_pages` the
    paging."""

    context: object
    people: list
    events: list
    not_shown: str = "0"
    people_pages: Paged | None = None
    event_pages: Paged | None = None


def _people_and_others(user, person_ids, params) -> tuple[Paged, int]:
    """A page of the visible people in name order, and how many the user may not see.

    The others are a count, never a stub each: a row of stubs is an exact number, which the
    small-number rule (`analytics.suppression`) exists to hide.
    """
    person_ids = set(person_ids)
    visible = people_selectors.in_name_order(user=user, people=policy.restrict(
        user, "view", Person.objects.filter(pk__in=person_ids)))
    query = read_query(params, sorts=PEOPLE_ORDER, keep=("events",), page_param="people")
    found = page_of(query, visible, what="people")
    return found, len(person_ids) - found.total


def _context_page(user, model, pk, person_ids_of, events_of,
                  params=None) -> ContextPage | None:
    kind = model.__name__.lower()
    params = QueryDict() if params is None else params
    with transaction.atomic():
        context = policy.restrict(user, "view", model.objects.filter(pk=pk)).first()
        if context is None:
            record(actor=user, action="deny", object_type=kind, outcome="denied",
                   detail={"reference": str(pk)})
            return None
        people_pages, hidden = _people_and_others(user, person_ids_of(context), params)
        people = people_pages.rows
        event_query = read_query(params, sorts=EVENTS_ORDER, keep=("people",),
                                 page_param="events")
        event_pages = page_of(event_query, policy.restrict(user, "view", events_of(context))
                              .select_related("reporting_agency").order_by("-occurred_at", "-pk"),
                              what="events")
        events = event_pages.rows
        not_shown = str(suppress_count(hidden, settings.CONTEXTS_SUPPRESSION_THRESHOLD))
        record(actor=user, action="view", object_type=kind, object_ids=[context.pk],
               detail={"people": [p.pk for p in people], "not_shown": not_shown,
                       "events": [e.pk for e in events]})
    return ContextPage(context, people, events, not_shown, people_pages, event_pages)


def place_page(*, user, pk: int, params=None) -> ContextPage | None:
    """A place, the people involved in events there, and those events (a page of each)."""
    return _context_page(
        user, Place, pk,
        lambda place: Involvement.objects.filter(event__place=place, person__isnull=False)
        .values_list("person_id", flat=True).distinct(),
        lambda place: Event.objects.filter(place=place),
        params,
    )


def group_page(*, user, pk: int, params=None) -> ContextPage | None:
    """A peer group, its members, and events involving them (a page of each)."""
    def members(group):
        return GroupMembership.objects.filter(group=group).values_list("person_id", flat=True)

    def events(group):
        return Event.objects.filter(involvements__person_id__in=members(group)).distinct()

    return _context_page(user, Group, pk, members, events, params)


def place_labels(user) -> dict[str, Place]:
    """Every known place the user may see, by a label that tells two of a name apart (the
    ward, then the number): the one list a page's place boxes type from."""
    places = list(policy.restrict(user, "view", Place.objects.select_related("ward")))
    named: dict[str, list[Place]] = {}
    for place in places:
        named.setdefault(f"{place.name}, {place.ward.name}", []).append(place)
    return {(label if len(same) == 1 else f"{label} ({p.pk})"): p
            for label, same in named.items() for p in same}


@dataclass(frozen=True)
class ProposedPlace:
    """A place a referrer described, with the cases on it, for the Hub to confirm."""

    place: Place
    cases: list


def proposed_places(user) -> list[ProposedPlace]:
    """Places described as "not listed", oldest first, with the cases the user may open."""
    with transaction.atomic():
        places = list(policy.restrict(user, "view", Place.with_proposed.filter(
            status=PlaceStatus.PROPOSED)).select_related("proposed_by").order_by("proposed_at"))
        cases = policy.restrict(user, "view", ContextCase.objects.filter(place__in=places))
        by_place: dict[int, list] = {}
        for case in cases:
            by_place.setdefault(case.place_id, []).append(case)
        record(actor=user, action="list", object_type="place",
               object_ids=[p.pk for p in places], detail={"status": PlaceStatus.PROPOSED})
    return [ProposedPlace(p, by_place.get(p.pk, [])) for p in places]


def proposed_place(user, pk) -> Place | None:
    """One described place awaiting confirmation, if the user may see places."""
    number = whole_number(pk)  # '²' passes str.isdigit() and int() refuses it
    if number is None:
        return None
    return policy.restrict(user, "view", Place.with_proposed.filter(
        status=PlaceStatus.PROPOSED)).filter(pk=number).first()
