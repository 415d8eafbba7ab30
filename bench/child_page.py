"""What the access policy and the audit row add to a child's page, with 100,000 children.

    python -m bench.child_page [--quick] [--children N] [--requests N]

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder; with DATABASE_URL the
database's name must contain "bench" (it is filled with synthetic children). Each request
reads one child's page data twice: through the production selector (policy decision, rows
filtered by the policy, one audit row in the same transaction) and through a baseline that
reads the same rows with no policy and no audit. The overhead is the difference.
Target (issue 3): policy plus audit add under 20 ms at p95.
"""

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import parser, peak_memory_mb, progress, report, setup_django, timed

BATCH = 5_000


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=None, help="default 100,000 (quick 5,000)")
    p.add_argument("--requests", type=int, default=None, help="default 1,000 (quick 200)")
    args = p.parse_args()
    children = args.children or (5_000 if args.quick else 100_000)
    requests = args.requests or (200 if args.quick else 1_000)
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="bench-child-page-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench_child_page.sqlite3"
    setup_django()
    from django.conf import settings

    settings.DEBUG = False
    figures: dict = {"children": children, "requests": requests}
    with timed(figures, "setup_seconds"):
        user, caseload = _prepare(children)
    figures.update(_measure(user, caseload, requests))
    figures["peak_memory_mb"] = peak_memory_mb()
    report("child_page", figures)


def _prepare(children: int):
    from django.core.management import call_command
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"refusing to fill {name!r} with synthetic children: its name needs 'bench'")
    call_command("migrate", verbosity=0)
    from saferoptions.people.models import Person

    if Person.objects.exists():
        sys.exit("the bench database already holds people: use a fresh one")
    progress(f"creating {children:,} children with identities and events")
    _people(children)
    return _caseload()


def _people(children: int) -> None:
    from saferoptions.core.models import Agency, Locality
    from saferoptions.events.models import Event, Involvement
    from saferoptions.people.models import Identity, Person

    rng = random.Random(1)
    police, school = Agency.objects.get(slug="police"), Agency.objects.get(slug="education")
    localities = list(Locality.objects.all())
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for first in range(0, children, BATCH):
        n = min(BATCH, children - first)
        people = Person.objects.bulk_create([
            Person(public_id=uuid.UUID(int=rng.getrandbits(128)), given_name=f"Given{first + i}",
                   family_name=f"Family{first + i}", date_of_birth=dt.date(2010, 1, 1)
                   + dt.timedelta(days=rng.randrange(2500)), locality=rng.choice(localities))
            for i in range(n)])
        people = list(Person.objects.order_by("-pk")[:n])  # ids, on every database
        Identity.objects.bulk_create(
            [Identity(person=p, agency=a, source_id=f"{a.slug}-{p.pk}", given_name=p.given_name,
                      family_name=p.family_name, date_of_birth=p.date_of_birth, postcode="BS5 6XY")
             for p in people for a in (police, school)])
        events = Event.objects.bulk_create(
            [Event(event_type="police_incident", category="violence", reporting_agency=police,
                   occurred_at=start + dt.timedelta(hours=rng.randrange(8000)),
                   reported_at=start, source_reference=f"E-{p.pk}-{k}")
             for p in people for k in range(3)])
        events = list(Event.objects.filter(source_reference__in=[
            e.source_reference for e in events]).order_by("pk"))
        by_ref = {e.source_reference: e for e in events}
        Involvement.objects.bulk_create(
            [Involvement(event=by_ref[f"E-{p.pk}-{k}"], person=p, role="victim")
             for p in people for k in range(3)])
        progress(f"  {first + n:,}")


def _caseload():
    from saferoptions.cases.models import TeamAroundChildMember
    from saferoptions.core.models import Agency, Role, Team, User
    from saferoptions.people.models import Person

    user = User.objects.create(
        username="bench-social-worker", role=Role.SOCIAL_WORKER,
        agency=Agency.objects.get(slug="social-care"), team=Team.objects.get(slug="hub"))
    sample = list(Person.objects.order_by("?")[:1000])
    TeamAroundChildMember.objects.bulk_create([
        TeamAroundChildMember(person=p, user=user, role="member", started_on=dt.date(2026, 1, 1))
        for p in sample])
    return user, [p.public_id for p in sample]


def _baseline(public_id):
    """The same rows the page shows, read with no policy and no audit."""
    from saferoptions.events.models import Event
    from saferoptions.people.models import Identity, Person, Relationship

    person = Person.objects.get(public_id=public_id)
    list(Identity.objects.filter(person=person).select_related("agency", "school"))
    list(Event.objects.filter(involvements__person=person)
         .select_related("reporting_agency", "place").order_by("-occurred_at")[:50])
    list(Relationship.objects.filter(person=person).select_related("source", "other"))
    list(person.groups.select_related("group"))


def _measure(user, caseload: list, requests: int) -> dict:
    from saferoptions.people.selectors import child_record

    rng = random.Random(2)
    policy_ms, baseline_ms, overhead_ms = [], [], []
    for n in range(requests):
        public_id = rng.choice(caseload)
        # Alternate the order so caching favours neither path.
        first, second = (_time_policy, _time_baseline) if n % 2 else (_time_baseline, _time_policy)
        a, b = first(user, public_id, child_record), second(user, public_id, child_record)
        with_policy, without = (a, b) if first is _time_policy else (b, a)
        policy_ms.append(with_policy)
        baseline_ms.append(without)
        overhead_ms.append(with_policy - without)
    return {
        "page_with_policy_and_audit_ms": _percentiles(policy_ms),
        "page_without_ms": _percentiles(baseline_ms),
        "overhead_ms": _percentiles(overhead_ms),
        "target_overhead_p95_ms": 20,
        "target_met": _percentiles(overhead_ms)["p95"] < 20,
    }


def _time_policy(user, public_id, child_record) -> float:
    start = time.perf_counter()
    assert child_record(user=user, public_id=public_id) is not None
    return (time.perf_counter() - start) * 1000


def _time_baseline(user, public_id, child_record) -> float:
    start = time.perf_counter()
    _baseline(public_id)
    return (time.perf_counter() - start) * 1000


def _percentiles(values: list[float]) -> dict:
    q = statistics.quantiles(values, n=100)
    return {"p50": round(q[49], 2), "p95": round(q[94], 2), "p99": round(q[98], 2)}


if __name__ == "__main__":
    main()
