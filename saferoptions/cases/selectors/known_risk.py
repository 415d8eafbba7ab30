"""What is known about a child, from the records this viewer may see (the child's page only).

Every record is read through the access policy: the child's events and recorded ties through
the decision that opened the page, and group cases through `policy.restrict`. So a viewer who
may not see police records gets no police item, and the total is "based on what you may see".
"""

import datetime as dt

from django.conf import settings
from django.db.models import Q

from saferoptions.access import policy
from saferoptions.analytics.known_risk import (
    KnownRecord,
    WhatIsKnown,
    indicator_for_event,
    indicators_from,
    what_is_known,
)
from saferoptions.contexts.models import CaseStatus, ContextCase, ContextKind, GroupMembership
from saferoptions.core import clock
from saferoptions.events.models import Event, kind_words
from saferoptions.people.models import Relationship, RelationshipKind

TIE_KINDS = (RelationshipKind.ASSOCIATE, RelationshipKind.PEER)


def known_for(child, *, user, today: dt.date) -> WhatIsKnown:
    """The configured indicators over the records of `child` that `user` may see."""
    indicators = indicators_from(settings.CASES_KNOWN_RISK_INDICATORS)
    longest = max(i.window_days for i in indicators)
    since = today - dt.timedelta(days=longest)
    records = _event_records(child, indicators, since)
    tie = next((i for i in indicators if i.ties), None)
    if tie is not None:
        records += _tie_records(child, user, tie.key, since)
    return what_is_known(records, indicators=indicators, today=today)


def _event_records(child, indicators, since: dt.date) -> list[KnownRecord]:
    rows = Event.objects.filter(
        pk__in=child.visible_event_ids, occurred_at__date__gt=since,
    ).select_related("reporting_agency").order_by("pk")
    records = []
    for event in rows:
        indicator = indicator_for_event(indicators, event.event_type, event.category)
        if indicator is not None:
            kind = kind_words(event.get_event_type_display(),
                              event.get_category_display().lower())
            records.append(KnownRecord(
                indicator.key, clock.local(event.occurred_at).date(), "event", event.pk,
                # Plain words: what, and who recorded it (the agency's own reference number
                # means nothing to the reader; the chronology has the event).
                f"{kind}, recorded by {event.reporting_agency.name}"))
    return records


def _tie_records(child, user, key: str, since: dt.date) -> list[KnownRecord]:
    """Recorded ties to someone in a group whose open case this viewer may see.

    The other person is never named here: they may be someone this viewer may not see.
    The date is when both were true: the later of the tie's start and the case's opening.
    """
    ties = policy.record_rows(child.decision, Relationship.objects.all()).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=since), kind__in=TIE_KINDS,
        other__isnull=False).select_related("source")
    cases = policy.restrict(user, "list", ContextCase.objects.filter(
        kind=ContextKind.GROUP, group__isnull=False).exclude(status=CaseStatus.CLOSED))
    opened = {c.group_id: c for c in cases.select_related("group")}
    members = {}
    for m in GroupMembership.objects.filter(group_id__in=opened, end_date__isnull=True):
        members.setdefault(m.person_id, []).append(opened[m.group_id])
    records = []
    for tie in ties:
        for case in members.get(tie.other_id, []):
            on = max(filter(None, [tie.start_date, clock.local(case.opened_at).date()]))
            records.append(KnownRecord(
                key, on, "tie", tie.pk,
                f"{tie.get_kind_display()} tie recorded by {tie.source.name} to someone in "
                f"the group “{case.group.name}” (group case open since "
                f"{case.opened_at:%-d %B %Y})"))
    return records
