"""Find a child (the people list), each row named only where the policy grants identity.

    python -m bench.people_list [--quick] [--children N] [--requests N]

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder; with DATABASE_URL the
database's name must contain "bench" (it is filled with a synthetic city). The city is the
project's own generator (`city.generator`), loaded and linked as `generate_city` does, with the demo
partnership's agreements signed, except that the police share incidents but not identity with
Barnardo's: so the Barnardo's lead worker's list mixes named rows and '(name not known)' rows,
each decided per row in the list's one query (`people.selectors._identity_shown`).

Full HTTP responses (the test client: middleware, view, policy, audit row, template) for a
lead worker on the team around a few hundred children and for a Hub practitioner who may
list every child: the first page, a page in the middle, a name search, and the CSV export.
Target: p95 at most 300 ms for a page of results (50 rows).
"""

import datetime as dt
import logging
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import parser, peak_memory_mb, progress, report, setup_django, timed

TARGET_P95_MS = 300
WARM_UP = 5
SEED = 1


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=None, help="default 3,000 (quick 500)")
    p.add_argument("--requests", type=int, default=None, help="per page (default 60; quick 10)")
    p.add_argument("--caseload", type=int, default=300,
                   help="children the lead worker is on the team around (default 300)")
    args = p.parse_args()
    children = args.children or (500 if args.quick else 3_000)
    requests = args.requests or (10 if args.quick else 60)
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="bench-people-list-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench_people_list.sqlite3"
    os.environ["DJANGO_DEBUG"] = "0"  # templates and queries as in production
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("saferoptions.requests").setLevel(logging.WARNING)
    figures: dict = {"children": children, "requests": requests}
    with timed(figures, "setup_seconds"):
        people = _prepare(children)
        lead, hub = _users(args.caseload)
    figures["people"] = people
    figures["pages"] = {}
    for name, user in (("lead_worker", lead), ("hub_practitioner", hub)):
        figures["pages"][name] = _pages(user, requests)
    page_p95s = [who[key]["p95"] for who in figures["pages"].values()
                 for key in ("page_1", "middle_page", "search")]
    figures["target_p95_ms"] = TARGET_P95_MS
    figures["target_met"] = max(page_p95s) <= TARGET_P95_MS
    figures["peak_memory_mb"] = peak_memory_mb()
    report("people_list", figures)


def _prepare(children: int) -> int:
    from django.core.management import call_command
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"refusing to fill {name!r} with a synthetic city: its name needs 'bench'")
    progress("migrating...")
    call_command("migrate", verbosity=0)
    from saferoptions.city.generator import generate
    from saferoptions.city.loader import load_city
    from saferoptions.core import clock
    from saferoptions.linkage.services import link_all_identities
    from saferoptions.people.localities import assign_localities
    from saferoptions.people.models import Person

    if Person.objects.exists():
        sys.exit("the bench database already holds people: use a fresh one")
    progress(f"generating and loading {children:,} children...")
    load_city(generate(children=children, seed=SEED, months=12, end=clock.today()),
              progress=lambda m: progress(f"    {m}"))
    progress("linking identities into persons (as generate_city does)...")
    link_all_identities()
    assign_localities()
    _agreements()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # planner statistics, as autovacuum gathers them
            cursor.execute("ANALYZE")
    return Person.objects.filter(merged_into__isnull=True).count()


def _agreements() -> None:
    """The demo partnership's agreements, less identity from the police to Barnardo's."""
    from saferoptions.access.models import InformationSharingAgreement
    from saferoptions.access.partnership import ensure_partnership_agreements
    from saferoptions.core.models import AgencyKind

    ensure_partnership_agreements(starts_on=dt.date(2020, 1, 1))
    for agreement in InformationSharingAgreement.objects.filter(
            provider__kind=AgencyKind.POLICE, recipient__kind=AgencyKind.BARNARDOS):
        agreement.categories = [c for c in agreement.categories if c != "identity"]
        agreement.save(update_fields=["categories"])


def _users(caseload: int):
    from saferoptions.cases.models import TeamAroundChildMember
    from saferoptions.core.models import Agency, AgencyKind, Role, Team, User
    from saferoptions.people.models import Person, PersonKind

    lead = User.objects.create(username="bench-lead-worker", role=Role.LEAD_WORKER,
                               agency=Agency.objects.filter(kind=AgencyKind.BARNARDOS).first())
    hub_team = Team.objects.select_related("agency").get(slug="hub")
    hub = User.objects.create(username="bench-hub", role=Role.HUB_PRACTITIONER,
                              agency=hub_team.agency, team=hub_team)
    rng = random.Random(SEED)
    pool = list(Person.objects.filter(kind=PersonKind.CHILD, merged_into__isnull=True)
                .values_list("pk", flat=True))
    TeamAroundChildMember.objects.bulk_create([
        TeamAroundChildMember(person_id=pk, user=lead, role="member",
                              started_on=dt.date(2020, 1, 1))
        for pk in rng.sample(pool, min(caseload, len(pool)))])
    return lead, hub


def _pages(user, requests: int) -> dict:
    from django.test import Client

    from saferoptions.people.selectors import export_people, search_people

    client = Client()
    client.force_login(user)
    first = search_people(user=user)
    named = [p for p in first.people if p.family_name]
    word = named[0].family_name if named else "a"
    middle = max(1, first.pages // 2)
    unnamed = sum(1 for p in export_people(user=user) if not (p.given_name or p.family_name))
    progress(f"{user.username}: {first.total:,} people in {first.pages} pages, {unnamed:,} "
             f"unnamed; searching {word!r}")
    shown = {"rows": first.total, "unnamed_rows": unnamed}
    for key, url in (("page_1", "/people/"), ("middle_page", f"/people/?page={middle}"),
                     ("search", f"/people/?q={word}")):
        shown[key] = _measure(client, url, requests)
    shown["selector_page_1"] = _selector(user, requests)
    shown["export_csv"] = _measure(client, "/people/export.csv", max(3, requests // 10))
    shown["queries_page_1"] = _queries(client, "/people/")
    return shown


def _measure(client, url: str, requests: int) -> dict:
    for _ in range(WARM_UP):
        _get(client, url)
    return _percentiles([_get(client, url) for _ in range(requests)])


def _percentiles(timings: list[float]) -> dict:
    q = statistics.quantiles(timings, n=20, method="inclusive")  # p95 is q[18]
    return {"p50": round(statistics.median(timings), 1), "p95": round(q[18], 1),
            "max": round(max(timings), 1)}


def _selector(user, requests: int) -> dict:
    """The list's read alone (policy, per-row identity, audit row), without the page around it."""
    from saferoptions.people.selectors import search_people

    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        search_people(user=user, page=1)
        timings.append((time.perf_counter() - start) * 1000)
    return _percentiles(timings)


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return len(queries)


def _get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}: the bench measures working pages only")
    return elapsed


if __name__ == "__main__":
    main()
