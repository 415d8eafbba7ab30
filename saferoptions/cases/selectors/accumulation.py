"""The items that add up to an accumulating concern, read for the rule and shown by policy."""

import datetime as dt

from django.conf import settings

from saferoptions.events.models import Event, EventType

from .. import accumulation
from ..models import Concern, ConcernKind, ConcernSource


def _items(person, since: dt.date) -> list[accumulation.Item]:
    # A withdrawn concern (raised in error, wrong child, duplicate) adds nothing up.
    concerns = Concern.objects.filter(person=person, raised_at__date__gt=since,
                                      withdrawn_at__isnull=True).exclude(
        source=ConcernSource.ACCUMULATION).values_list("pk", "kind", "raised_at")
    events = Event.objects.filter(
        involvements__person=person, occurred_at__date__gt=since,
    ).values_list("pk", "event_type", "occurred_at").distinct()
    return ([accumulation.Item(k, at.date(), "concern", pk) for pk, k, at in concerns]
            + [accumulation.Item(t, at.date(), "event", pk) for pk, t, at in events]
            + accumulation.registered_items(person, since))


def tally_for(person, *, today: dt.date) -> accumulation.Tally:
    """The rule's tally over every record (the rule sees all; people see what the policy lets)."""
    rule = settings.CASES_ACCUMULATION
    since = today - dt.timedelta(days=rule["window_days"] + 1)
    return accumulation.tally(_items(person, since), rule=rule, today=today)


def _label(item: accumulation.Item) -> str:
    """What the item is in the partners' words, and whether it is a concern or a partner's
    record (the rule keys weights by code, and 'stop search' alone says neither)."""
    if item.record_type == "concern":
        return f"{dict(ConcernKind.choices).get(item.kind, item.kind)} (a concern raised)"
    return f"{dict(EventType.choices).get(item.kind, item.kind)} (a partner's record)"


def visible_contributions(child, tally) -> list[dict]:
    """The contributing items this viewer may see, newest first, each with its weight and
    label (the tally keeps them heaviest first, for the rule)."""
    seen_events = child.visible_event_ids
    seen_concerns = set(child.concerns().values_list("pk", flat=True))
    shown = []
    for c in tally.contributions:
        item = c.item
        if item.record_type not in ("event", "concern"):
            continue  # another app's item (intelligence): its own pages show it by policy
        seen = seen_events if item.record_type == "event" else seen_concerns
        if item.record_id in seen:
            shown.append({"kind": _label(item), "on": item.on,
                          "weight": c.weight, "type": item.record_type})
    return sorted(shown, key=lambda i: i["on"], reverse=True)
