"""Every read of personal data in the interventions app, through the access policy, audited."""

import math
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F

from saferoptions.access import policy
from saferoptions.analytics.suppression import round_count
from saferoptions.audit.services import record
from saferoptions.cases.selectors.child import open_child
from saferoptions.core.models import AgencyKind, Locality
from saferoptions.people.models import Person

from . import eligibility
from .facts import child_facts, latest_judgement, rules_of, this_month
from .models import CapacityMonth, ContextPlacement, Programme, ProgrammeArea, Referral
from .vocabulary import ReferralStatus, RouteIn, WorksWith

PAGE_SIZE = 50
F_FREE = F("places") - F("taken")
FOR_A_CHILD = (WorksWith.CHILD, WorksWith.GROUP, WorksWith.PARENTS)


@dataclass
class Option:
    """One programme as "find support" shows it for one child."""

    programme: Programme
    verdict: eligibility.Verdict
    area: object
    free: int
    waiting: int
    in_child_locality: bool
    age: int | None = None

    @property
    def wait_months(self) -> int | None:
        """Months until a place, estimated from the queue and the monthly places (0: now)."""
        if self.area is None:
            return None
        if self.free > 0 and self.waiting == 0:
            return 0
        if self.area.monthly_places == 0:
            return None
        return math.ceil((self.waiting + 1 - max(self.free, 0)) / self.area.monthly_places)


def _month_rows(area_ids) -> dict:
    rows = CapacityMonth.objects.filter(area_id__in=area_ids, month=this_month())
    return {r.area_id: r for r in rows}


def _waiting_counts(area_ids) -> dict:
    """Children's referrals and groups' or places' placements waiting, per area (one list);
    `area_ids` None: every area's."""
    counts: dict = {}
    for model in (Referral, ContextPlacement):
        rows = model.objects.filter(status=ReferralStatus.WAITING)
        if area_ids is not None:
            rows = rows.filter(area_id__in=area_ids)
        rows = rows.values("area_id").annotate(n=Count("pk")).order_by()
        for r in rows:
            counts[r["area_id"]] = counts.get(r["area_id"], 0) + r["n"]
    return counts


def places_in(programme, locality_id, rows, waiting, areas=None) -> tuple:
    """The area a locality takes places from (its own, else the city's), free, waiting, own.

    `areas`: the programme's areas where the caller has read them already."""
    areas = list(programme.areas.all()) if areas is None else areas
    mine = next((a for a in areas if a.locality_id and a.locality_id == locality_id), None)
    area = mine or next((a for a in areas if a.locality_id is None), None)
    row = rows.get(area.pk) if area else None
    free = (row.free if row else area.monthly_places) if area else 0
    return area, free, waiting.get(area.pk, 0) if area else 0, mine is not None


def _option(programme, facts, rows, waiting, areas=None) -> Option:
    area, free, queued, mine = places_in(programme, facts.locality_id, rows, waiting, areas)
    return Option(programme, eligibility.evaluate(rules_of(programme, areas), facts), area,
                  free, queued, mine, facts.age)


def month_rows(area_ids) -> tuple[dict, dict]:
    """This month's capacity rows and the waiting counts for the areas."""
    return _month_rows(area_ids), _waiting_counts(area_ids)


def programmes_for_a_child():
    """The programmes a child can be referred to: every list of them for a child (find support,
    a task's "which programme") reads this one, so no list leaves out what another shows."""
    return Programme.objects.filter(is_active=True, takes_referrals=True,
                                    works_with__in=FOR_A_CHILD)


@dataclass(frozen=True)
class _Month:
    """This month's free places in an area, as `places_in` reads a capacity row."""

    free: int


@dataclass(frozen=True)
class _Area:
    """An area as find support reads and shows it (what `places_in`, `rules_of` and the
    page read of a ProgrammeArea), with its locality's name already at hand."""

    pk: int
    locality_id: int | None
    monthly_places: int
    locality: object = None


def _catalogue_areas() -> tuple[dict, dict, dict]:
    """Every area of the programmes for a child, with this month's places and the waiting
    lists: (areas by programme, free places by area, waiting by area).

    Plain values in four flat reads (areas, this month's rows, the two waiting lists), not
    model rows and not a subquery per area: on a 200-programme catalogue the model rows were
    most of the page's time, and PostgreSQL ran the per-area subqueries as one scan of the
    month's rows for each of ~300 areas (16 ms of a 50 ms page)."""
    rows = ProgrammeArea.objects.filter(programme__in=programmes_for_a_child()) \
        .values_list("pk", "programme_id", "locality_id", "monthly_places")
    localities = dict(Locality.objects.values_list("pk", "name"))
    areas: dict = {}
    for pk, programme_id, locality_id, places in rows:
        areas.setdefault(programme_id, []).append(
            _Area(pk, locality_id, places, localities.get(locality_id)))
    month = CapacityMonth.objects.filter(month=this_month()).annotate(n=F_FREE) \
        .values_list("area_id", "n")
    free = {area_id: _Month(n) for area_id, n in month}
    return areas, free, _waiting_counts(None)


def default_route_in(user) -> str:
    """The route a referral from this person takes unless they choose another: a school's
    staff refer through the school (the route their own task's programme list uses)."""
    agency = getattr(user, "agency", None)
    return RouteIn.SCHOOL if agency is not None and agency.kind == AgencyKind.EDUCATION \
        else RouteIn.DIRECT


def options_for(person, *, route_in: str = "direct", judgement=None,
                decision=None) -> list[Option]:
    """Every programme that works with children, with the child's verdict, places and wait.

    With the viewer's `decision`, needs the records they may see show count (facts.py)."""
    facts = child_facts(person, route_in=route_in, judgement=judgement, decision=decision)
    # What the page shows of a programme and what its rules read; not its outcome measures.
    programmes = list(programmes_for_a_child().defer("outcome_measures"))
    areas, rows, waiting = _catalogue_areas()
    return [_option(p, facts, rows, waiting, areas.get(p.pk, [])) for p in programmes]


def option_for(person, programme: Programme, *, route_in: str = "direct",
               decision=None) -> Option:
    """One programme's verdict, places and wait for the child (the referral page)."""
    facts = child_facts(person, route_in=route_in, decision=decision)
    area_ids = [a.pk for a in programme.areas.all()]
    return _option(programme, facts, _month_rows(area_ids), _waiting_counts(area_ids))


def programme_places(programme: Programme, *, exact: bool = True) -> list[dict]:
    """This month's places, taken and waiting in each of the programme's areas (counts only).

    Places taken and waiting are counts of children: a reader who is not the programme's
    provider (`exact` False: a strategic lead, the analyst, any signed-in reader of the
    catalogue) reads them rounded to the nearest 5, 1 to 4 as "fewer than 5", as on the
    dashboards, where the waiting lists are counted too. Whether an area is full is the
    places' state (`full`), said as on the dashboards: to a reader of rounded counts only
    where the places taken are 5 or more (places of 4 full would say 4 taken, or fewer).
    """
    areas = list(programme.areas.select_related("locality"))
    rows, waiting = _month_rows([a.pk for a in areas]), _waiting_counts([a.pk for a in areas])
    found = [{"area": a, "places": rows[a.pk].places if a.pk in rows else a.monthly_places,
              "taken": rows[a.pk].taken if a.pk in rows else 0, "waiting": waiting.get(a.pk, 0)}
             for a in areas]
    for row in found:
        row["full"] = row["taken"] >= row["places"]
        if not exact:
            threshold = settings.SMALL_NUMBER_THRESHOLD
            row["taken"] = round_count(row["taken"], threshold)
            row["waiting"] = round_count(row["waiting"], threshold)
            if not isinstance(row["taken"], int):
                row["full"] = None  # not shown
    return found


def ordered(options: list[Option]) -> tuple[list[Option], list[Option]]:
    """Eligible ones, the child's locality first then the shortest wait; the others by name."""
    never = 10_000

    def key(o):
        wait = o.wait_months if o.wait_months is not None else never
        return (not o.in_child_locality, wait, o.programme.name)
    eligible = sorted((o for o in options if o.verdict.eligible), key=key)
    other = sorted((o for o in options if not o.verdict.eligible), key=lambda o: o.programme.name)
    return eligible, other


def find_support(*, user, public_id, route_in: str = "direct"):
    """The child (opened through the policy, audited) and the catalogue as it applies to them."""
    child = open_child(user, public_id, what="find_support")
    if child is None:
        return None, None, None
    judgement = latest_judgement(child.person)
    eligible, other = ordered(options_for(child.person, route_in=route_in, judgement=judgement,
                                          decision=child.decision))
    return child, judgement, (eligible, other)


def open_referral(user, pk, *, change: bool = False):
    """A referral and its child, if the policy lets the user open the child (else None)."""
    referral = Referral.objects.select_related("programme", "team", "team__agency", "area",
                                               "area__locality", "referred_by", "person") \
        .filter(pk=pk).first()
    if referral is None:
        record(actor=user, action="deny", object_type="intervention_referral", outcome="denied",
               detail={"reference": str(pk)})
        return None, None
    child = open_child(user, referral.person.public_id, what="intervention_referral",
                       change=change)
    return (referral, child) if child else (None, None)


def position(referral: Referral) -> int | None:
    """Where a waiting referral stands on its area's waiting list (1: next)."""
    if referral.status != ReferralStatus.WAITING:
        return None
    earlier = Referral.objects.filter(area=referral.area, status=ReferralStatus.WAITING,
                                      referred_at__lt=referral.referred_at).count()
    same_time = Referral.objects.filter(area=referral.area, status=ReferralStatus.WAITING,
                                        referred_at=referral.referred_at,
                                        pk__lt=referral.pk).count()
    # Groups and places share the list (served before a child referred at the same moment).
    groups = ContextPlacement.objects.filter(area=referral.area, status=ReferralStatus.WAITING,
                                             referred_at__lte=referral.referred_at).count()
    return earlier + same_time + groups + 1


def child_referrals(person) -> list[Referral]:
    return list(Referral.objects.filter(person=person).select_related("programme", "team")
                .order_by("-referred_at")[:50])


def provider_referrals(*, user, page: int = 1):
    """The provider team's referrals whose child the policy lets the user see, audited."""
    visible = policy.restrict(user, "list", Person.objects.all())
    rows = Referral.objects.filter(team_id=user.team_id, person__in=visible) \
        .select_related("programme", "person", "area__locality").order_by("status", "referred_at")
    found = Paginator(rows, PAGE_SIZE).get_page(page)
    record(actor=user, action="list", object_type="intervention_referral",
           object_ids=[r.pk for r in found], purpose="direct_work")
    return found


def provider_counts(team_id) -> dict:
    """Counts only (no child): the provider's caseload and this month's places."""
    rows = Referral.objects.filter(team_id=team_id).values("status").annotate(n=Count("pk"))
    labels = dict(ReferralStatus.choices)
    by_status = [(labels[r["status"]], r["n"]) for r in rows.order_by("status")]
    programmes = Programme.objects.filter(providers__team_id=team_id) if team_id else []
    places = [{"programme": p, **row} for p in programmes for row in programme_places(p)]
    return {"by_status": by_status, "places": places}


def consent_overrides(*, user, page: int = 1):
    """Referrals made without consent, with the reason, for the data protection officer."""
    rows = Referral.objects.exclude(without_consent_reason="") \
        .select_related("programme", "referred_by").order_by("-referred_at")
    found = Paginator(rows, PAGE_SIZE).get_page(page)
    record(actor=user, action="list", object_type="intervention_referral",
           object_ids=[r.pk for r in found], purpose="audit")
    return found
