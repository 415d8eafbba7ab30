"""Changes that come from the analytics: suggested groups, confirmed groups, new places and
hospital locations resolved to places. Each is one transaction with its audit row."""

from django.conf import settings
from django.db import transaction

from saferoptions.access import policy
from saferoptions.access.categories import DataCategory, Purpose
from saferoptions.analytics.errors import (
    AnalyticsInputError,
    EmptyGroupError,
    OutsideCityError,
    UnknownPlaceTypeError,
)
from saferoptions.analytics.networks import find_groups
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Ward
from saferoptions.events.models import Event, EventType

from . import permissions, services
from .errors import ContextInputError, NotAllowed
from .models import (
    ContextKind,
    Group,
    GroupMembership,
    Place,
    PlaceAlias,
    PlaceStatus,
    PlaceType,
    SuggestedGroup,
    SuggestionStatus,
)
from .network_data import load_network
from .services_places import proposed_place_merged


def _analyst(actor) -> None:
    if not permissions.may_analyse(actor):
        raise NotAllowed


def suggest_groups(*, actor) -> list[SuggestedGroup]:
    """Run Leiden over the records and replace the open suggestions with the new ones."""
    _analyst(actor)
    network = load_network()
    if network.graph.vcount() == 0:
        found, method = [], {"note": "no ties recorded"}
    else:
        result = find_groups(network, resolution=settings.CONTEXTS_GROUP_RESOLUTION,
                             min_group_size=settings.CONTEXTS_MIN_GROUP_SIZE)
        found, method = result.groups, result.method
    with transaction.atomic():
        SuggestedGroup.objects.filter(status=SuggestionStatus.SUGGESTED).delete()
        now = clock.now()
        rows = SuggestedGroup.objects.bulk_create([
            SuggestedGroup(run_at=now, number=g.number, members=list(g.members),
                           density=g.density, internal_share=g.internal_share, method=method,
                           connectors=[c.person_id for c in g.key_connectors])
            for g in found
        ])
        record(actor=actor, action="create", object_type="suggested_group",
               object_ids=[r.pk for r in rows], detail={"groups": len(rows)})
    return rows


def confirm_group(*, actor, suggestion_id: int, name: str, description: str,
                  reason: str) -> Group:
    """An analyst confirms a suggestion: it becomes a named group, opened as a context case."""
    _analyst(actor)
    name = (name or "").strip()
    if not name:
        raise ContextInputError("name", "enter a name for the group")
    if actor.agency_id is None:
        raise ContextInputError("name", "your account has no agency to record the group under")
    with transaction.atomic():
        suggestion = SuggestedGroup.objects.select_for_update().filter(
            pk=suggestion_id, status=SuggestionStatus.SUGGESTED).first()
        if suggestion is None:
            raise ContextInputError("name", "this suggestion has already been dealt with")
        members = sorted({int(p) for p in suggestion.members})
        if not members:
            raise EmptyGroupError("members", "the group has nobody in it")
        group = Group.objects.create(name=name, description=(description or "").strip())
        GroupMembership.objects.bulk_create([
            GroupMembership(group=group, person_id=p, source_id=actor.agency_id,
                            start_date=clock.today()) for p in members])
        suggestion.status, suggestion.group = SuggestionStatus.CONFIRMED, group
        suggestion.save(update_fields=["status", "group"])
        record(actor=actor, action="create", object_type="group", object_ids=[group.pk],
               detail={"suggestion": suggestion.pk, "members": members})
        # The case opens in the same transaction: a group without its case is half-done.
        services.refer(actor=actor, kind=ContextKind.GROUP, group=group, reason=reason)
    return group


def _nearest_ward(latitude: float, longitude: float) -> Ward:
    wards = list(Ward.objects.all())
    if not wards:
        raise ContextInputError("latitude", "no wards are set up to place this in")
    return min(wards, key=lambda w: (w.latitude - latitude) ** 2 + (w.longitude - longitude) ** 2)


def check_place(*, name: str, place_type: str, latitude: float, longitude: float) -> None:
    """Refuse a place with no name, an unknown type or coordinates outside the city box."""
    if not (name or "").strip():
        raise ContextInputError("name", "enter the place's name")
    if place_type not in PlaceType.values:
        raise UnknownPlaceTypeError("place_type", f"{place_type!r} is not a known type of place")
    box = settings.CONTEXTS_CITY_BOX
    if not box["min_lat"] <= latitude <= box["max_lat"]:
        raise OutsideCityError("latitude", f"must be between {box['min_lat']} and "
                                           f"{box['max_lat']} (inside the city)")
    if not box["min_lng"] <= longitude <= box["max_lng"]:
        raise OutsideCityError("longitude", f"must be between {box['min_lng']} and "
                                            f"{box['max_lng']} (inside the city)")


def create_place(*, actor, name: str, place_type: str, latitude: float, longitude: float,
                 resolves: str = "") -> Place:
    """Add a known place (in its nearest ward); optionally resolve a hospital text to it."""
    if not permissions.may_resolve_locations(actor):
        raise NotAllowed
    check_place(name=name, place_type=place_type, latitude=latitude, longitude=longitude)
    with transaction.atomic():
        place = Place.objects.create(name=name.strip(), place_type=place_type, latitude=latitude,
                                     longitude=longitude, ward=_nearest_ward(latitude, longitude))
        record(actor=actor, action="create", object_type="place", object_ids=[place.pk])
        if resolves:
            resolve_location(actor=actor, text=resolves, place=place, remember=True)
    return place


def _proposed(place_id: int) -> Place:
    place = Place.with_proposed.select_for_update().filter(
        pk=place_id, status=PlaceStatus.PROPOSED).first()
    if place is None:
        raise ContextInputError("proposed", "this place has already been confirmed")
    return place


def confirm_proposed_place(*, actor, proposed_id: int, name: str, place_type: str,
                           latitude: float, longitude: float) -> Place:
    """A place a referrer described becomes a known place, at the point the Hub found."""
    if not permissions.may_resolve_locations(actor):
        raise NotAllowed
    check_place(name=name, place_type=place_type, latitude=latitude, longitude=longitude)
    with transaction.atomic():
        place = _proposed(proposed_id)
        place.name, place.place_type = name.strip(), place_type
        place.latitude, place.longitude = latitude, longitude
        place.ward, place.status = _nearest_ward(latitude, longitude), PlaceStatus.CONFIRMED
        place.save()
        record(actor=actor, action="update", object_type="place", object_ids=[place.pk],
               detail={"change": "proposed_place_confirmed"})
    return place


def merge_proposed_place(*, actor, proposed_id: int, place: Place) -> Place:
    """A described place is one the Hub already knows: its cases move to the known place and
    the name the referrer used is remembered as another name for it."""
    if not permissions.may_resolve_locations(actor):
        raise NotAllowed
    if place.is_proposed:
        raise ContextInputError("place", "choose a known place")
    with transaction.atomic():
        proposed = _proposed(proposed_id)
        cases = list(proposed.cases.values_list("pk", flat=True))
        proposed.cases.update(place=place)
        alias, _ = PlaceAlias.objects.get_or_create(place=place, name=proposed.name[:200])
        record(actor=actor, action="update", object_type="context_case", object_ids=cases,
               detail={"change": "proposed_place_merged", "place": place.pk,
                       "proposed": proposed.pk})
        proposed_place_merged(actor=actor, proposed=proposed, place=place)
        record(actor=actor, action="delete", object_type="place", object_ids=[proposed.pk],
               detail={"merged_into": place.pk, "alias": alias.pk})
        proposed.delete()
    return place


def _unplaced_ed(text: str, actor):
    """ED attendances described by `text`, from hospitals that share health with the actor."""
    shared = policy.sharing_sources_q(actor, DataCategory.HEALTH, purpose=Purpose.DATA_QUALITY)
    return Event.objects.filter(shared, event_type=EventType.ED_ASSAULT, place__isnull=True,
                                location_description=text)


def resolve_location(*, actor, text: str, place: Place, remember: bool = False) -> int:
    """Set the place of every ED attendance described by `text` that has none; how many.

    With `remember`, the text becomes another name for the place, so the matcher resolves it
    by itself next time.
    """
    if not permissions.may_resolve_locations(actor):
        raise NotAllowed
    if not (text or "").strip():
        raise ContextInputError("text", "there is no location text to resolve")
    with transaction.atomic():
        ids = list(_unplaced_ed(text, actor).values_list("pk", flat=True))
        Event.objects.filter(pk__in=ids).update(place=place)
        record(actor=actor, action="update", object_type="event", object_ids=ids,
               detail={"change": "place_resolved", "place": place.pk})
        if remember:
            alias, _ = PlaceAlias.objects.get_or_create(place=place, name=text.strip()[:200])
            record(actor=actor, action="create", object_type="place_alias",
                   object_ids=[alias.pk], detail={"place": place.pk})
    return len(ids)


def apply_matches(*, actor, matches) -> int:
    """Resolve every text the matcher was confident about, in one transaction."""
    if not permissions.may_resolve_locations(actor):
        raise NotAllowed
    places = Place.objects.in_bulk([m.place_id for m in matches if m.resolved])
    done = 0
    with transaction.atomic():
        for match in matches:
            if match.resolved and match.place_id in places:
                done += resolve_location(actor=actor, text=match.text,
                                         place=places[match.place_id])
    return done


__all__ = ["AnalyticsInputError", "suggest_groups", "confirm_group", "create_place",
           "resolve_location", "apply_matches", "check_place", "confirm_proposed_place",
           "merge_proposed_place"]
