"""Loading what eligibility reads about a child, and a programme's rules, from the database."""

import datetime as dt

from django.conf import settings

from saferoptions.access import policy
from saferoptions.core import clock
from saferoptions.events.models import Event, Involvement
from saferoptions.people.ages import age_on
from saferoptions.people.models import Relationship

from . import eligibility, evidence
from .models import Programme, RiskJudgement


def latest_judgement(person) -> RiskJudgement | None:
    """The practitioner's most recent recorded risk level and needs for the child."""
    return (RiskJudgement.objects.filter(person=person)
            .order_by("-recorded_at", "-pk").select_related("recorded_by").first())


def _sibling_levels(person) -> frozenset:
    siblings = Relationship.objects.filter(person=person, kind="family",
                                           detail__icontains="sibling").values("other_id")
    levels = set()
    for other_id in siblings.values_list("other_id", flat=True)[:20]:
        row = (RiskJudgement.objects.filter(person_id=other_id)
               .order_by("-recorded_at", "-pk").values_list("level", flat=True).first())
        if row:
            levels.add(row)
    return frozenset(levels)


def _occurrences(decision, rules, today) -> list[evidence.Occurrence]:
    """The child's part in each event of the kinds the table reads, in its longest window, of
    the events this decision lets the viewer see (never one they may not: eligibility's words
    would tell of it)."""
    first = evidence.earliest_day(rules, today)
    since = dt.datetime(first.year, first.month, first.day, tzinfo=clock.LOCAL)
    visible = policy.record_rows(decision, Event.objects.all()).filter(
        event_type__in=evidence.event_types(rules), occurred_at__gte=since)
    # The objects come in the same read (a row per object, none lost without one): a second
    # query would pass the visible events' ids through the policy's filter again.
    rows = (Involvement.objects.filter(person=decision.person, event__in=visible.values("pk"))
            .values_list("pk", "event_id", "event__event_type", "event__category", "role",
                         "event__occurred_at", "event__pole_objects__kind"))
    found: dict = {}
    for part, pk, kind, category, role, at, thing in rows:
        _, _, _, _, things = found.setdefault((part, pk), (kind, category, role, at, set()))
        if thing:
            things.add(thing)
    return [evidence.Occurrence(pk, kind, category, role, clock.local(at).date(),
                                frozenset(things))
            for (_, pk), (kind, category, role, at, things) in found.items()]


def needs_from_records(decision) -> dict[str, evidence.Evidence]:
    """The needs the child's records show to this viewer (settings' table; docs)."""
    rules = evidence.rules_from(settings.INTERVENTIONS_NEEDS_FROM_EVENTS)
    today = clock.today()
    return evidence.needs_shown(rules, _occurrences(decision, rules, today), today)


def child_facts(person, *, route_in: str = "direct", judgement=None,
                decision=None) -> eligibility.ChildFacts:
    """The child as eligibility sees them today (age from the date of birth on clock.today()).

    Needs are those the practitioner recorded and, given the viewer's decision, those the
    records the viewer may see show; without a decision (no viewer), the recorded ones only.
    """
    judgement = judgement if judgement is not None else latest_judgement(person)
    shown = needs_from_records(decision) if decision is not None else {}
    return eligibility.ChildFacts(
        age=age_on(person.date_of_birth, clock.today()),
        sex=person.sex, locality_id=person.locality_id,
        risk_level=judgement.level if judgement else None,
        needs=frozenset(judgement.needs) if judgement else frozenset(),
        route_in=route_in, sibling_risk_levels=_sibling_levels(person),
        evidence=tuple((need, shown[need].words) for need in sorted(shown)))


def rules_of(programme: Programme, areas=None) -> eligibility.Rules:
    """A programme's rules as the evaluator reads them (areas give the localities; pass them
    where they have been read already)."""
    areas = list(programme.areas.all()) if areas is None else areas
    city_wide = any(a.locality_id is None for a in areas)
    return eligibility.Rules(
        min_age=programme.min_age, max_age=programme.max_age,
        sexes=frozenset(programme.sexes),
        locality_ids=None if city_wide else frozenset(a.locality_id for a in areas),
        risk_levels=frozenset(programme.risk_levels), needs=frozenset(programme.needs),
        routes_in=frozenset(programme.routes_in), includes_siblings=programme.includes_siblings)


def area_for(programme: Programme, locality_id):
    """The area whose places a child from this locality takes: their locality's, else the city's."""
    areas = list(programme.areas.all())
    return (next((a for a in areas if a.locality_id == locality_id and a.locality_id), None)
            or next((a for a in areas if a.locality_id is None), None))


def this_month():
    return clock.today().replace(day=1)
