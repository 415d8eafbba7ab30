"""Honest gaps: how many of a child's records the viewer may not see, and whom to ask.

Only for a viewer the policy already admits to the child (the Hub triaging, a member of the
team around the child): to them a withheld record is a gap in the evidence they must know
about. Anyone else gets the common 404 before this is asked, and no list or search says it,
so forbidden stays identical to absent.
"""

from collections import Counter

from django.db.models import F, Q

from saferoptions.core import clock
from saferoptions.core.models import Agency, AgencyKind, Team
from saferoptions.events.models import Event

from ..models import TeamAroundChildMember


def notices(person, withheld_event_ids) -> list[str]:
    """One line per agency: "2 police records you may not see: ask <agency>, <team>"."""
    counts = Counter(Event.objects.filter(pk__in=list(withheld_event_ids))
                     .values_list("reporting_agency_id", flat=True))
    agencies = Agency.objects.in_bulk(list(counts))
    return [_line(agencies[pk], n, _team_to_ask(agencies[pk], person))
            for pk, n in sorted(counts.items(), key=lambda item: agencies[item[0]].name)]


def _line(agency: Agency, count: int, team: Team | None) -> str:
    words = AgencyKind(agency.kind).label if agency.kind in AgencyKind.values else ""
    if words and agency.kind != AgencyKind.BARNARDOS:  # a name keeps its capital
        words = words[0].lower() + words[1:]
    records = "record" if count == 1 else "records"
    whom = f"{agency.name}, {team.name}" if team else agency.name
    return f"{count} {words + ' ' if words else ''}{records} you may not see: ask {whom}"


def _team_to_ask(agency: Agency, person) -> Team | None:
    """The agency's team already working with the child, else its team for the child's
    locality, else its city-wide team (first by name)."""
    today = clock.today()
    working = TeamAroundChildMember.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today), person=person,
        user__agency=agency, user__team__isnull=False).values("user__team_id")
    team = Team.objects.filter(pk__in=working).order_by("name").first()
    if team is not None:
        return team
    serving = Team.objects.filter(agency=agency).filter(
        Q(locality_id=person.locality_id) | Q(locality__isnull=True))
    return serving.order_by(F("locality_id").asc(nulls_last=True), "name").first()
