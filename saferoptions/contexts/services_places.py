"""Places described by people who could not find them on the list ("The place is not listed").

A described place is kept as a proposed place (no point on the map yet), so the referral about
it is not lost; the Hub then confirms it on the locations page, either as a new known place
(with its coordinates) or as one it already knows, which takes over its cases.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.identifiers import postcode as full_postcode

from .errors import ContextInputError
from .models import Place, PlaceStatus, PlaceType


@dataclass(frozen=True)
class PlaceDescription:
    """What a referrer said about a place that is not on the list."""

    name: str
    street_or_landmark: str
    place_type: str
    postcode: str = ""


def check_description(described: PlaceDescription) -> PlaceDescription:
    """The description, tidied; refused (naming the field) if the Hub could not find it."""
    name = (described.name or "").strip()
    street = (described.street_or_landmark or "").strip()
    if not name:
        raise ContextInputError("place_name", "enter the name of the place")
    if not street:
        raise ContextInputError("place_street", "enter the street, or a landmark near the place")
    if described.place_type not in PlaceType.values:
        raise ContextInputError("place_type", "choose what kind of place it is")
    postcode = ""
    if (described.postcode or "").strip():
        postcode = full_postcode(described.postcode)
        if postcode is None:
            raise ContextInputError("place_postcode", "enter a real postcode, or leave it empty")
    return PlaceDescription(name=name[:160], street_or_landmark=street[:200],
                            place_type=described.place_type, postcode=postcode)


def propose_place(*, actor, described: PlaceDescription, protect_source: bool = False) -> Place:
    """Keep a described place for the Hub to confirm. Callers check the actor may refer.

    With `protect_source` (a place described in intelligence, whose source only the graders
    may know) the place does not name who described it; the audit row still does."""
    described = check_description(described)
    with transaction.atomic():
        place = Place.with_proposed.create(
            name=described.name, place_type=described.place_type,
            street_or_landmark=described.street_or_landmark, postcode=described.postcode,
            status=PlaceStatus.PROPOSED, proposed_by=None if protect_source else actor,
            proposed_at=clock.now())
        record(actor=actor, action="create", object_type="place", object_ids=[place.pk],
               detail={"status": PlaceStatus.PROPOSED})
    return place


# Apps above contexts that point at places (intelligence reports and their links) register
# here from their AppConfig.ready(), so a proposed place merged into a known one takes their
# rows with it: hook(actor=, proposed=, place=) moves them (and audits) in the merge's
# transaction. Contexts never imports them.
_MERGE_HOOKS: list[Callable] = []


def on_proposed_place_merged(hook: Callable) -> None:
    if hook not in _MERGE_HOOKS:
        _MERGE_HOOKS.append(hook)


def proposed_place_merged(*, actor, proposed: Place, place: Place) -> None:
    for hook in _MERGE_HOOKS:
        hook(actor=actor, proposed=proposed, place=place)
