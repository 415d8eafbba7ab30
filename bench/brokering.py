"""Brokering support: "find support" for one child, and a programme's outcome report.

    python -m bench.brokering [--quick] [--children N] [--requests N] [--reuse]

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder; with DATABASE_URL the
database's name must contain "bench" (it is filled with synthetic children). The city: 100,000
children (three events each, as `bench.child_page`), one child with hundreds more, recorded
risk judgements for a fifth of them, a catalogue of 200 programmes (the strategy's seeded ones
plus generated ones with varied rules, providers, areas and places per locality and month) and
a simulated year of 20,000 referrals with 200,000 sessions.

Measured: (1) "find support" for the child with the most events, through the production
selector as the page calls it (the policy opens the child, audited; the catalogue evaluated,
places and waits; the case formulation and the child's referrals) in one transaction, as that
child's social worker, 200 warm calls; (2) the outcome report of the busiest programme (about
a quarter of the year's referrals), as a strategic reader of dashboards sees it (suppressed).
Targets (issue 14): find support p95 <= 100 ms; the report <= 2 s.
"""

import datetime as dt
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import parser, peak_memory_mb, progress, report, setup_django, timed

TARGET_FIND_P95_MS = 100
TARGET_REPORT_S = 2.0
WARM_UP = 10
BATCH = 5_000
# The bench runs on a fixed day so the simulated year and the 90-day windows line up.
NOW = dt.datetime(2026, 12, 1, 11, 0, tzinfo=dt.UTC)
YEAR_START = dt.date(2025, 12, 1)


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=None, help="default 100,000 (quick 2,000)")
    p.add_argument("--requests", type=int, default=None, help="default 200 (quick 20)")
    p.add_argument("--programmes", type=int, default=None, help="default 200 (quick 40)")
    p.add_argument("--referrals", type=int, default=None, help="default 20,000 (quick 500)")
    p.add_argument("--sessions", type=int, default=None, help="default 200,000 (quick 5,000)")
    p.add_argument("--reuse", action="store_true",
                   help="measure again on a database an earlier run of this bench filled "
                        "(DATABASE_URL)")
    args = p.parse_args()
    quick = args.quick
    sizes = {
        "children": args.children or (2_000 if quick else 100_000),
        "programmes": args.programmes or (40 if quick else 200),
        "referrals": args.referrals or (500 if quick else 20_000),
        "sessions": args.sessions or (5_000 if quick else 200_000),
    }
    requests = args.requests or (20 if quick else 200)
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="bench-brokering-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench_brokering.sqlite3"
    os.environ["DJANGO_DEBUG"] = "0"  # queries as in production
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    setup_django()
    from saferoptions.core import clock

    figures: dict = {**sizes, "requests": requests}
    with clock.frozen(NOW):
        with timed(figures, "setup_seconds"):
            world = _again() if args.reuse else _prepare(sizes)
        if args.reuse:  # what the earlier run built, not this run's defaults
            figures.update(_sizes())
        figures["child_events"] = world["child_events"]
        figures["find_support_ms"] = _measure_find(world, requests)
        figures["report"] = _measure_report(world)
    figures["targets"] = {"find_support_p95_ms": TARGET_FIND_P95_MS,
                          "report_seconds": TARGET_REPORT_S}
    figures["target_met"] = (figures["find_support_ms"]["p95"] <= TARGET_FIND_P95_MS
                             and figures["report"]["seconds_max"] <= TARGET_REPORT_S)
    figures["peak_memory_mb"] = peak_memory_mb()
    report("brokering", figures)


# --- the city ---------------------------------------------------------------------------------

def _prepare(sizes: dict) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from bench.child_page import _people
    from saferoptions.people.models import Person

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"refusing to fill {name!r} with synthetic children: its name needs 'bench'")
    call_command("migrate", verbosity=0)
    if Person.objects.exists():
        sys.exit("the bench database already holds people: use a fresh one")
    rng = random.Random(14)
    progress(f"creating {sizes['children']:,} children with identities and events")
    _people(sizes["children"])
    busy = _busiest_child(rng)
    progress("recording risk judgements")
    worker, reader = _users()
    _judgements(rng, worker)
    progress(f"filling the catalogue to {sizes['programmes']} programmes")
    _catalogue(rng, sizes["programmes"])
    progress(f"simulating a year: {sizes['referrals']:,} referrals, "
             f"{sizes['sessions']:,} sessions")
    busiest = _year(rng, worker, sizes["referrals"], sizes["sessions"])
    _caseload(worker, busy)
    _analyse()
    events = busy.involvements.count()
    return {"worker": worker, "reader": reader, "child": busy, "child_events": events,
            "programme": busiest}


def _again() -> dict:
    """The world of an earlier run: its users, its busiest child and programme."""
    from django.core.management import call_command

    from saferoptions.core.models import User
    from saferoptions.interventions.models import Programme
    from saferoptions.people.models import Person

    call_command("migrate", verbosity=0)  # indexes added since the earlier run
    _analyse()
    child = Person.objects.order_by("pk").first()
    return {"worker": User.objects.get(username="bench-social-worker"),
            "reader": User.objects.get(username="bench-strategic-lead"), "child": child,
            "child_events": child.involvements.count(),
            "programme": Programme.objects.get(name="Community mentoring")}


def _analyse() -> None:
    """PostgreSQL's planner statistics, as autovacuum keeps them in production: straight after
    a bulk load it has none and guesses a few hundred rows where there are 300,000 (the report
    then hash-joins every event in the year for each 400 children read: 0.5 s against 7 ms)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _sizes() -> dict:
    from saferoptions.interventions.models import Programme, Referral, Session
    from saferoptions.people.models import Person

    return {"children": Person.objects.count(), "programmes": Programme.objects.count(),
            "referrals": Referral.objects.count(), "sessions": Session.objects.count()}


def _busiest_child(rng):
    """One child with hundreds of events of every measured kind: the heaviest page to build."""
    from saferoptions.core.models import Agency
    from saferoptions.events.models import Event, Involvement
    from saferoptions.people.models import Person

    child = Person.objects.order_by("pk").first()
    police = Agency.objects.get(slug="police")
    kinds = [("police_incident", "violence"), ("missing_episode", "missing"),
             ("school_incident", "exclusion"), ("stop_search", "weapons"),
             ("ed_assault", "assault")]
    start = dt.datetime.combine(YEAR_START, dt.time(12), tzinfo=dt.UTC)
    made = Event.objects.bulk_create([
        Event(event_type=kind, category=category, reporting_agency=police,
              occurred_at=start + dt.timedelta(hours=rng.randrange(8000)), reported_at=start,
              source_reference=f"BUSY-{n}")
        for n, (kind, category) in enumerate(rng.choice(kinds) for _ in range(600))])
    events = Event.objects.filter(source_reference__startswith="BUSY-").values_list("pk",
                                                                                     flat=True)
    Involvement.objects.bulk_create([Involvement(event_id=pk, person=child, role="subject")
                                     for pk in events])
    assert len(made) == len(events)
    return child


def _users():
    from saferoptions.core.models import Agency, Role, Team, User

    social = Agency.objects.get(slug="social-care")
    worker = User.objects.create(username="bench-social-worker", role=Role.SOCIAL_WORKER,
                                 agency=social, team=Team.objects.get(slug="hub"))
    reader = User.objects.create(username="bench-strategic-lead", role=Role.STRATEGIC_LEAD,
                                 agency=Agency.objects.get(slug="community-safety"))
    return worker, reader


def _judgements(rng, worker) -> None:
    from saferoptions.interventions.models import RiskJudgement
    from saferoptions.interventions.vocabulary import Need, RiskLevel
    from saferoptions.people.models import Person

    ids = list(Person.objects.values_list("pk", flat=True))
    chosen = rng.sample(ids, len(ids) // 5)
    chosen.append(ids[0])  # the busiest child has one (it is the first)
    needs = Need.values
    at = dt.datetime.combine(YEAR_START, dt.time(9), tzinfo=dt.UTC)
    for first in range(0, len(chosen), BATCH):
        RiskJudgement.objects.bulk_create([
            RiskJudgement(person_id=pk, level=rng.choice(RiskLevel.values),
                          needs=rng.sample(needs, rng.randint(1, 3)), recorded_by=worker,
                          recorded_at=at + dt.timedelta(days=rng.randrange(300)))
            for pk in chosen[first:first + BATCH]])


def _catalogue(rng, total: int) -> None:
    """The seeded programmes plus generated ones until the catalogue holds `total`."""
    from saferoptions.core.models import Locality, Team
    from saferoptions.interventions.facts import this_month
    from saferoptions.interventions.models import (
        CapacityMonth,
        Programme,
        ProgrammeArea,
        ProgrammeProvider,
    )
    from saferoptions.interventions.vocabulary import (
        Level,
        Need,
        RiskLevel,
        RouteIn,
        Training,
        WorksWith,
    )

    teams = list(Team.objects.values_list("pk", flat=True))
    localities = list(Locality.objects.values_list("pk", flat=True))
    missing = max(total - Programme.objects.count(), 0)
    made = Programme.objects.bulk_create([
        _generated(rng, n, Level, Need, RiskLevel, RouteIn, Training, WorksWith)
        for n in range(missing)])
    made = list(Programme.objects.filter(name__startswith="Generated programme "))
    ProgrammeProvider.objects.bulk_create([
        ProgrammeProvider(programme=p, team_id=team)
        for p in made for team in rng.sample(teams, rng.randint(1, 3))])
    areas = []
    for p in made:
        if rng.random() < 0.25:
            areas.append(ProgrammeArea(programme=p, locality=None,
                                       monthly_places=rng.randint(0, 30)))
        else:
            areas += [ProgrammeArea(programme=p, locality_id=loc, monthly_places=rng.randint(0, 12))
                      for loc in rng.sample(localities, rng.randint(1, len(localities)))]
    ProgrammeArea.objects.bulk_create(areas)
    month = this_month()
    rows = []
    for area in ProgrammeArea.objects.all():
        rows.append(CapacityMonth(area=area, month=month, places=area.monthly_places,
                                  taken=rng.randint(0, area.monthly_places)))
    CapacityMonth.objects.bulk_create(rows)


def _generated(rng, n, Level, Need, RiskLevel, RouteIn, Training, WorksWith):  # noqa: N803
    from saferoptions.interventions.models import Programme

    works_with = rng.choices(WorksWith.values, weights=[6, 1, 1, 1])[0]
    low = rng.choice([None, 8, 10, 11, 12, 13, 14])
    return Programme(
        name=f"Generated programme {n:03d}", level=rng.choice(Level.values),
        offers="Generated for the brokering benchmark.", works_with=works_with,
        min_months=3, max_months=rng.choice([6, 9, 12]), min_age=low,
        max_age=None if low is None else low + rng.randint(3, 9),
        sexes=rng.choice([[], [], ["F"], ["M"]]),
        risk_levels=rng.choice([[], ["high"], ["medium", "high"], RiskLevel.values]),
        needs=rng.choice([[], rng.sample(Need.values, rng.randint(1, 3))]),
        routes_in=rng.choice([[], [], [RouteIn.DIRECT, RouteIn.SCHOOL], RouteIn.values]),
        includes_siblings=rng.random() < 0.2,
        trained_in=rng.choice(Training.values) if works_with in ("group", "place") else "")


def _year(rng, worker, referrals: int, sessions: int):
    """A year of referrals in every state, and sessions for the ones that started."""
    from saferoptions.interventions.models import Programme, Referral, Session
    from saferoptions.people.models import Person

    busiest = Programme.objects.get(name="Community mentoring")
    programmes = list(Programme.objects.filter(works_with="child")
                      .prefetch_related("areas", "providers"))
    weights = [len(programmes) if p.pk == busiest.pk else 1 for p in programmes]
    people = list(Person.objects.values_list("pk", flat=True))
    rows = []
    for n in range(referrals):
        programme = rng.choices(programmes, weights=weights)[0]
        rows.append(_referral(rng, programme, rng.choice(people), worker, n))
        if len(rows) == BATCH:
            Referral.objects.bulk_create(rows)
            rows = []
    Referral.objects.bulk_create(rows)
    started = list(Referral.objects.filter(started_on__isnull=False)
                   .values_list("pk", "started_on", "ended_on"))
    today = NOW.date()
    batch = []
    for n in range(sessions):
        pk, began, ended = started[n % len(started)]
        last = ended or today
        day = began + dt.timedelta(days=rng.randrange(max((last - began).days, 1)))
        batch.append(Session(referral_id=pk, held_on=day, attended=rng.random() < 0.8,
                             recorded_by=worker))
        if len(batch) == BATCH:
            Session.objects.bulk_create(batch)
            batch = []
    Session.objects.bulk_create(batch)
    return busiest


def _referral(rng, programme, person_id, worker, n):
    from saferoptions.interventions.models import Referral

    areas, providers = list(programme.areas.all()), list(programme.providers.all())
    day = YEAR_START + dt.timedelta(days=rng.randrange(360))
    at = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    status = rng.choices(["waiting", "sent", "accepted", "declined", "started", "ended"],
                         weights=[5, 5, 5, 5, 30, 50])[0]
    started = day + dt.timedelta(days=rng.randint(7, 60)) \
        if status in ("started", "ended") else None
    if started and started > NOW.date():
        started = NOW.date()
    ended = min(started + dt.timedelta(days=rng.randint(60, 200)), NOW.date()) \
        if status == "ended" else None
    return Referral(
        person_id=person_id, programme=programme, team_id=providers[0].team_id,
        area=rng.choice(areas), status=status, referred_by=worker, referred_at=at,
        reason=f"Benchmark referral {n}", young_person_consent="given",
        parent_consent="given", parent_consent_needed=True,
        place_given_at=None if status == "waiting" else at + dt.timedelta(days=rng.randrange(40)),
        place_month=None if status == "waiting" else day.replace(day=1),
        holds_place=status in ("sent", "accepted", "started"), started_on=started,
        ended_on=ended, end_reason=rng.choice(["completed", "disengaged"]) if ended else "")


def _caseload(worker, child) -> None:
    """The worker is on the busiest child's team around the child (direct work)."""
    from saferoptions.cases.models import TeamAroundChildMember

    TeamAroundChildMember.objects.create(person=child, user=worker, role="member",
                                         started_on=YEAR_START)


# --- measuring --------------------------------------------------------------------------------

def _find_once(worker, child) -> float:
    """What the find-support page reads, as the page reads it, in one transaction."""
    from django.db import transaction

    from saferoptions.interventions import formulation_selectors, selectors

    start = time.perf_counter()
    with transaction.atomic():
        found, _judgement, options = selectors.find_support(user=worker,
                                                            public_id=child.public_id)
        assert found is not None and options[0] is not None
        formulation_selectors.versions(user=worker, child=found)
        selectors.child_referrals(found.person)
    return (time.perf_counter() - start) * 1000


def _measure_find(world: dict, requests: int) -> dict:
    from django.db import transaction

    from saferoptions.interventions import selectors

    worker, child = world["worker"], world["child"]
    for _ in range(WARM_UP):
        _find_once(worker, child)
    timings = [_find_once(worker, child) for _ in range(requests)]
    with transaction.atomic():
        _c, _j, (eligible, other) = selectors.find_support(user=worker,
                                                           public_id=child.public_id)
    return {**_percentiles(timings), "eligible": len(eligible), "not_eligible": len(other)}


def _measure_report(world: dict) -> dict:
    """The busiest programme's report, as a strategic lead sees it, three times."""
    from django.db import transaction

    from saferoptions.interventions import outcome_selectors
    from saferoptions.interventions.models import Referral

    programme, reader = world["programme"], world["reader"]
    seconds, shown = [], None
    for _ in range(3):
        start = time.perf_counter()
        with transaction.atomic():
            shown = outcome_selectors.report_for(user=reader, programme=programme,
                                                 own_team=False)
        seconds.append(time.perf_counter() - start)
    return {"programme_referrals": Referral.objects.filter(programme=programme).count(),
            "referred_children_compared": shown["referred_children"],
            "seconds_first": round(seconds[0], 3), "seconds_max": round(max(seconds), 3),
            "seconds_median": round(statistics.median(seconds), 3)}


def _percentiles(values: list[float]) -> dict:
    q = statistics.quantiles(values, n=100)
    return {"p50": round(q[49], 2), "p95": round(q[94], 2), "p99": round(q[98], 2)}


if __name__ == "__main__":
    main()
