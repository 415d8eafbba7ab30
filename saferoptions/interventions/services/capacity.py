"""Places each month: the capacity row is locked while a place is given, returned or resized.

Two people taking the last place at once: the second waits on the row lock (PostgreSQL's
SELECT ... FOR UPDATE; SQLite's IMMEDIATE transactions serialise writers), then finds no
place free and joins the waiting list. The waiting list is served first, in the order
referrals were made, whenever a place is free.
"""

from django.db.models import Q

from saferoptions.core import clock

from ..facts import this_month
from ..models import CapacityMonth, ContextPlacement, ProgrammeArea, Referral
from ..vocabulary import ReferralStatus
from .common import Refused, audit


def locked_month(area: ProgrammeArea, month) -> CapacityMonth:
    """The area's row for the month, created from its standing places, locked until commit."""
    CapacityMonth.objects.get_or_create(area=area, month=month,
                                        defaults={"places": area.monthly_places})
    return CapacityMonth.objects.select_for_update().get(area=area, month=month)


def give_place(referral: Referral | ContextPlacement, row: CapacityMonth) -> None:
    referral.status, referral.holds_place = ReferralStatus.SENT, True
    referral.place_month, referral.place_given_at = row.month, clock.now()
    referral.save(update_fields=["status", "holds_place", "place_month", "place_given_at"])
    row.taken += 1
    row.save(update_fields=["taken"])


def waiting_list(area: ProgrammeArea):
    """Referrals waiting for a place in the area, first made first."""
    return Referral.objects.filter(area=area, status=ReferralStatus.WAITING) \
        .order_by("referred_at", "pk")


def context_waiting_list(area: ProgrammeArea):
    """Groups and places waiting for a place in the area (context cases), first made first."""
    return ContextPlacement.objects.filter(area=area, status=ReferralStatus.WAITING) \
        .order_by("referred_at", "pk")


def serve_waiting(row: CapacityMonth) -> list[int]:
    """Give the row's free places to the waiting list, in order (row already locked).

    Children's referrals and groups' or places' placements share one list, by when they were
    made. Returns the children's referral ids (the context ones are audited here).
    """
    free = max(row.free, 0)
    if free == 0:
        return []
    queue = sorted([*waiting_list(row.area)[:free], *context_waiting_list(row.area)[:free]],
                   key=lambda item: (item.referred_at, not isinstance(item, ContextPlacement),
                                     item.pk))[:free]
    for item in queue:
        give_place(item, row)
    placed = [item.pk for item in queue if isinstance(item, ContextPlacement)]
    if placed:
        audit(None, "offer_place", "context_placement", placed)
    return [item.pk for item in queue if isinstance(item, Referral)]


def return_place(referral: Referral | ContextPlacement) -> list[int]:
    """A declined or withdrawn referral, or an ended group's or place's placement, gives its
    place back; the first waiting (child, group or place) takes it if the month is this one.
    Returns the children's referral ids served (the context ones are audited in serve_waiting)."""
    if not referral.holds_place:
        return []
    row = locked_month(referral.area, referral.place_month)
    row.taken -= 1
    row.save(update_fields=["taken"])
    referral.holds_place = False
    referral.save(update_fields=["holds_place"])
    return serve_waiting(row) if row.month == this_month() else []


def set_month_places(*, actor, area: ProgrammeArea, month, places: int) -> CapacityMonth:
    """Change one month's places; never below the places already taken (refused with the count)."""
    if places < 0:
        raise Refused("places", "Enter a number of places of 0 or more")
    row = locked_month(area, month)
    if places < row.taken:
        raise Refused("places", f"{row.taken} places are already taken this month: enter "
                                f"{row.taken} or more")
    row.places = places
    row.save(update_fields=["places"])
    served = serve_waiting(row) if month == this_month() else []
    audit(actor, "change_capacity", "programme_area", [area.pk], month=month.isoformat(),
          places=places, served=served)
    return row


def set_standing_places(*, actor, area: ProgrammeArea, monthly_places: int) -> ProgrammeArea:
    """The places each new month starts with; this month's row changes only if it can."""
    if monthly_places < 0:
        raise Refused("monthly_places", "Enter a number of places of 0 or more")
    row = locked_month(area, this_month())
    if monthly_places < row.taken:
        raise Refused("monthly_places", f"{row.taken} places are already taken this month: "
                                        f"enter {row.taken} or more")
    area.monthly_places = monthly_places
    area.save(update_fields=["monthly_places"])
    row.places = monthly_places
    row.save(update_fields=["places"])
    served = serve_waiting(row)
    audit(actor, "change_capacity", "programme_area", [area.pk], places=monthly_places,
          served=served)
    return area


def offer_waiting_places(*, actor=None) -> int:
    """At the start of a month: each area's new places go to its waiting list, in order."""
    served = 0
    waiting = Q(referrals__status=ReferralStatus.WAITING) \
        | Q(context_placements__status=ReferralStatus.WAITING)
    for area in ProgrammeArea.objects.filter(waiting).distinct():
        ids = serve_waiting(locked_month(area, this_month()))
        if ids:
            audit(actor, "offer_waiting_places", "intervention_referral", ids)
        served += len(ids)
    return served
