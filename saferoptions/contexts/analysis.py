"""Reads for the analytics pages: suggested groups, peer maps, hot spots, hospital locations.

Who a viewer may see is decided by ONE policy query per page (a set of person ids); the
analytics then mask everyone else and suppress small counts. Hot spots are aggregates: no
person is read at all.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from saferoptions.access import policy
from saferoptions.access.categories import DataCategory, Purpose
from saferoptions.analytics.peermaps import GroupView, PeerMap, group_view, peer_map
from saferoptions.analytics.placematch import KnownPlace, PlaceMatcher, unresolved
from saferoptions.analytics.suppression import suppress_count
from saferoptions.audit.services import record
from saferoptions.core.queues import Paged, QueueQuery, page_of
from saferoptions.events.models import Event, EventType
from saferoptions.people.models import Person
from saferoptions.people.selectors import shown_people, with_identity_shown

from .models import Group, GroupMembership, Place, PlaceType, SuggestedGroup, SuggestionStatus
from .network_data import load_network, people_near

PEER_MAP_DEPTH = 2


def _threshold() -> int:
    return settings.CONTEXTS_SUPPRESSION_THRESHOLD


def visible_people(user, ids) -> dict[int, Person]:
    """The people among `ids` the user may see, in one policy query, each with whether their
    names may be shown (named through `people_tags.shown_person` or `shown_people`)."""
    rows = with_identity_shown(user=user, people=policy.restrict(
        user, "view", Person.objects.filter(pk__in=list(ids))))
    return {p.pk: p for p in rows}


@dataclass(frozen=True)
class SuggestionRow:
    """A suggested group as one viewer may see it."""

    suggestion: SuggestedGroup
    visible: list
    not_shown: str
    size: str
    connectors: list


def suggestions(*, user, query: QueueQuery) -> tuple[list[SuggestionRow], Paged]:
    """One page of open suggestions (a city has a hundred and more); members shown only where
    the policy allows, counts suppressed; the page's rows are what is audited."""
    with transaction.atomic():
        paged = page_of(query, SuggestedGroup.objects.filter(status=SuggestionStatus.SUGGESTED)
                        .order_by("-run_at", "number", "pk"), what="suggestions")
        rows = paged.rows
        everyone = {int(p) for r in rows for p in r.members}
        seen = visible_people(user, everyone) if everyone else {}
        shown = []
        for r in rows:
            view = group_view(r.members, can_see=seen.__contains__, suppress_below=_threshold())
            # Only connectors the viewer may see are named; the others are simply not listed.
            connectors = [seen[p] for p in r.connectors if p in seen]
            shown.append(SuggestionRow(r, [seen[p] for p in view.visible_members],
                                       view.not_shown, view.size, connectors))
        record(actor=user, action="list", object_type="suggested_group",
               object_ids=[r.pk for r in rows],
               detail={"people": sorted(p for s in shown for p in (x.pk for x in s.visible))})
    return shown, paged


@dataclass(frozen=True)
class PeerMapPage:
    """A peer map (None when the viewer may see nobody at its centre) and visible names."""

    title: str
    map: PeerMap | None
    names: dict
    members: GroupView | None = None


def _peer_map(user, centre: list[int], *, only_visible_centre: bool = False) -> PeerMapPage:
    network = load_network(seen_by=user)
    near = people_near(network, centre, PEER_MAP_DEPTH)
    seen = visible_people(user, near)
    if only_visible_centre:
        # A group's hidden members are not drawn as its centre: a row of stubs would give the
        # group's exact size away. They appear only where tied to someone the viewer may see.
        centre = [p for p in centre if p in seen]
        if not centre:
            return PeerMapPage("", None, {})
    drawn = peer_map(network, centre, can_see=seen.__contains__, depth=PEER_MAP_DEPTH,
                     suppress_below=_threshold())
    names = {n.label: seen[n.person_id] for n in drawn.nodes if n.person_id in seen}
    return PeerMapPage("", drawn, names)


def group_peer_map(*, user, pk: int) -> PeerMapPage | None:
    """The map around a group's members; None (404) if the user may not see the group."""
    with transaction.atomic():
        group = policy.restrict(user, "view", Group.objects.filter(pk=pk)).first()
        members = list(GroupMembership.objects.filter(group_id=pk)
                       .values_list("person_id", flat=True)) if group else []
        if group is None or not members:
            record(actor=user, action="deny", object_type="peer_map", outcome="denied",
                   detail={"group": str(pk)})
            return None
        page = _peer_map(user, members, only_visible_centre=True)
        seen = {p.pk for p in page.names.values()}
        view = group_view(members, can_see=seen.__contains__, suppress_below=_threshold())
        record(actor=user, action="view", object_type="peer_map", object_ids=[group.pk],
               detail={"group": group.pk, "people": sorted(seen)})
    return PeerMapPage(group.name, page.map, page.names, view)


def child_peer_map(*, user, public_id) -> PeerMapPage | None:
    """The map around one child the user may see; None (the common 404) otherwise."""
    with transaction.atomic():
        person = Person.objects.filter(public_id=public_id, merged_into__isnull=True).first()
        decision = policy.decision_for(user, person) if person else None
        if decision is None:
            record(actor=user, action="deny", object_type="peer_map", outcome="denied",
                   detail={"reference": str(public_id)})
            return None
        page = _peer_map(user, [person.pk])
        record(actor=user, action="view", object_type="peer_map", object_ids=[person.pk],
               purpose=decision.purpose,
               detail={"people": [p.pk for p in page.names.values()]})
    title = shown_people(user=user, people=[person])[person.pk].display_name
    return PeerMapPage(title, page.map, page.names)


@dataclass(frozen=True)
class LocationRow:
    """A hospital description with no place: how often (suppressed) and the best candidates."""

    text: str
    attendances: object
    reason: str
    candidates: tuple


def _matcher() -> PlaceMatcher | None:
    places = [KnownPlace(p.pk, p.name, tuple(a.name for a in p.aliases.all()), p.place_type)
              for p in Place.objects.prefetch_related("aliases")]
    if not places:
        return None
    return PlaceMatcher(places, place_types=PlaceType.values,
                        threshold=settings.CONTEXTS_PLACE_MATCH_THRESHOLD,
                        margin=settings.CONTEXTS_PLACE_MATCH_MARGIN)


def location_matches(*, user) -> tuple[list, list[LocationRow]]:
    """Confident matches (to apply) and unresolved texts (for a person), for ED attendances."""
    with transaction.atomic():
        # A hospital's free-text location is health information: only the hospitals that
        # share health with the user's agency for data quality (or their own) give their text.
        shared = policy.sharing_sources_q(user, DataCategory.HEALTH,
                                          purpose=Purpose.DATA_QUALITY)
        rows = (Event.objects.filter(shared, event_type=EventType.ED_ASSAULT,
                                     place__isnull=True)
                .exclude(location_description="")
                .values_list("location_description", flat=True))
        counts: dict[str, int] = {}
        for text in rows:
            counts[text] = counts.get(text, 0) + 1
        matcher = _matcher()
        matches = matcher.match_all(list(counts)) if matcher and counts else []
        confident = [m for m in matches if m.resolved]
        open_rows = [LocationRow(m.text, suppress_count(counts[m.text], _threshold()), m.reason,
                                 m.candidates) for m in unresolved(matches)]
        if not matcher:
            open_rows = [LocationRow(t, suppress_count(n, _threshold()), "no known places", ())
                         for t, n in counts.items()]
        record(actor=user, action="list", object_type="hospital_location",
               detail={"texts": len(counts), "confident": len(confident)})
    return confident, open_rows

