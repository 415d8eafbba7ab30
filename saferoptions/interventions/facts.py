"""Loading what eligibility reads about a child, and a programme's rules, from the database."""

from saferoptions.core import clock
from saferoptions.people.models import Relationship

from . import eligibility
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


def child_facts(person, *, route_in: str = "direct", judgement=None) -> eligibility.ChildFacts:
    """The child as eligibility sees them today (age from the date of birth on clock.today())."""
    judgement = judgement if judgement is not None else latest_judgement(person)
    return eligibility.ChildFacts(
        age=eligibility.age_on(person.date_of_birth, clock.today()),
        sex=person.sex, locality_id=person.locality_id,
        risk_level=judgement.level if judgement else None,
        needs=frozenset(judgement.needs) if judgement else frozenset(),
        route_in=route_in, sibling_risk_levels=_sibling_levels(person))


def rules_of(programme: Programme) -> eligibility.Rules:
    """A programme's rules as the evaluator reads them (areas give the localities)."""
    areas = list(programme.areas.all())
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
