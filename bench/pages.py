"""Whole pages as a practitioner gets them: the triage queue, the team inbox, a child's page.

    python -m bench.pages [--quick] [--children N] [--items N] [--requests N]

Full HTTP responses through Django's middleware, views, access policy, audit and templates (the
test client, so no network), as the Hub practitioner (the triage queue, page 1 sorted by due)
and as a member of a team (the team inbox, and the page of a child on that member's team around
the child). Without DATABASE_URL it uses a fresh SQLite file in a temporary folder; with
DATABASE_URL the database's name must contain "bench" (it is filled with synthetic children).
Target (issue 13): 100,000 children, at least 2,000 open items in each queue, 200 warm
requests per page: p95 at most 300 ms.
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
WARM_UP = 10


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=None, help="default 100,000 (quick 3,000)")
    p.add_argument("--items", type=int, default=None,
                   help="open concerns and open tasks each (default 2,500; quick 300)")
    p.add_argument("--requests", type=int, default=None, help="per page (default 200; quick 20)")
    p.add_argument("--reuse", action="store_true",
                   help="measure again on a database an earlier run of this bench filled")
    args = p.parse_args()
    children = args.children or (3_000 if args.quick else 100_000)
    items = args.items or (300 if args.quick else 2_500)
    requests = args.requests or (20 if args.quick else 200)
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="bench-pages-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench_pages.sqlite3"
    os.environ["DJANGO_DEBUG"] = "0"  # templates and queries as in production
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    figures: dict = {"children": children, "open_items_per_queue": items, "requests": requests}
    with timed(figures, "setup_seconds"):
        world = _again() if args.reuse else _prepare(children, items)
    if args.reuse:  # what the earlier run built, not this run's defaults
        from saferoptions.people.models import Person

        figures["children"] = Person.objects.count()
    logging.getLogger("saferoptions.requests").setLevel(logging.WARNING)  # one line per request
    figures["pages_ms"] = {name: _measure(user, url, shows, requests)
                           for name, (user, url, shows) in world.items()}
    figures["target_p95_ms"] = TARGET_P95_MS
    figures["target_met"] = all(v["p95"] <= TARGET_P95_MS for v in figures["pages_ms"].values())
    figures["peak_memory_mb"] = peak_memory_mb()
    report("pages", figures)


def _prepare(children: int, items: int) -> dict:
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
    progress(f"creating {children:,} children with identities and events")
    _people(children)
    hub, member, child = _users_and_caseload()
    # The partnership's signed agreements, as in the demo: without them the Hub may not read a
    # police or school record's names (the identity category), and the queue shows none.
    from saferoptions.access.partnership import ensure_partnership_agreements
    ensure_partnership_agreements(starts_on=dt.date(2020, 1, 1))
    progress(f"raising {items:,} open concerns and {items:,} open tasks")
    _concerns(items, hub)
    _tasks(items, member)
    return _pages(hub, member, child)


def _again() -> dict:
    """The pages of an earlier run's world (its users and their first child)."""
    from saferoptions.cases.models import TeamAroundChildMember
    from saferoptions.core.models import User

    hub, member = User.objects.get(username="bench-hub"), User.objects.get(
        username="bench-social-worker")
    child = TeamAroundChildMember.objects.filter(user=member).order_by("person_id").first()
    return _pages(hub, member, child.person.public_id)


def _pages(hub, member, child) -> dict:
    # Each page with a word it must show, so a page that answers 200 but lists nothing fails.
    return {
        "triage_queue_hub": (hub, "/cases/triage/?sort=due", "Given"),
        "team_inbox_member": (member, "/tasks/", "Hospital rapid response"),
        "child_page_member": (member, f"/people/{child}/", "Given"),
    }


def _users_and_caseload():
    """The Hub practitioner of one locality; a social worker with 50 children on their team."""
    from saferoptions.cases.models import TeamAroundChildMember
    from saferoptions.core.models import Agency, Locality, Role, Team, User
    from saferoptions.people.models import Person

    locality = Locality.objects.order_by("pk").first()
    hub = User.objects.create(
        username="bench-hub", role=Role.HUB_PRACTITIONER, locality=locality,
        agency=Agency.objects.get(slug="social-care"), team=Team.objects.get(slug="hub"))
    team = (Team.objects.exclude(slug="hub").filter(agency__slug="social-care")
            .order_by("pk").first())
    member = User.objects.create(
        username="bench-social-worker", role=Role.SOCIAL_WORKER, locality=locality,
        agency=Agency.objects.get(slug="social-care"), team=team)
    sample = list(Person.objects.filter(locality=locality).order_by("pk")[:50])
    TeamAroundChildMember.objects.bulk_create([
        TeamAroundChildMember(person=p, user=member, role="member", started_on=dt.date(2026, 1, 1))
        for p in sample])
    return hub, member, sample[0].public_id


def _concerns(items: int, hub) -> None:
    """Open concerns in the Hub's locality queue, due over the coming and past fortnight."""
    from saferoptions.cases.models import Concern
    from saferoptions.core import clock
    from saferoptions.people.models import Person

    rng, now = random.Random(3), clock.now()
    people = list(Person.objects.filter(locality=hub.locality_id).values_list("pk", flat=True))
    Concern.objects.bulk_create([
        Concern(person_id=rng.choice(people), locality_id=hub.locality_id, source="partner",
                kind="other", reason=f"Seen with older young people late at night ({n})",
                raised_at=now - dt.timedelta(hours=rng.randrange(1, 300)),
                due_at=now + dt.timedelta(hours=rng.randrange(-200, 200)))
        for n in range(items)], batch_size=1_000)


def _tasks(items: int, member) -> None:
    """Open tasks for the member's team, about children the team may or may not see."""
    from saferoptions.core import clock
    from saferoptions.people.models import Person
    from saferoptions.tasks.models import Task, TaskRule, TaskType

    rng, now = random.Random(4), clock.now()
    rule = TaskRule.objects.create(
        slug="bench-pages", name="Bench: a partner's event for the team",
        task_type=TaskType.choices[0][0], team_slug=member.team.slug, sla_hours=72)
    people = list(Person.objects.filter(locality=member.locality_id)
                  .values_list("pk", flat=True)[:5_000])
    Task.objects.bulk_create([
        Task(rule=rule, rule_version=1, dedupe_key=f"bench-{n}", task_type=rule.task_type,
             team=member.team, person_id=rng.choice(people),
             created_at=now - dt.timedelta(hours=rng.randrange(1, 300)),
             due_at=now + dt.timedelta(hours=rng.randrange(-100, 100)),
             description=f"Bench task {n}")
        for n in range(items)], batch_size=1_000)


def _measure(user, url: str, shows: str, requests: int) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    if shows not in client.get(url).content.decode():
        sys.exit(f"{url} does not show {shows!r}: the bench measures working pages only")
    for _ in range(WARM_UP):
        _get(client, url)
    timings = [_get(client, url) for _ in range(requests)]
    q = statistics.quantiles(timings, n=100)
    return {"url": url.split("?")[0], "p50": round(q[49], 1), "p95": round(q[94], 1),
            "p99": round(q[98], 1)}


def _get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}: the bench measures working pages only")
    return elapsed


if __name__ == "__main__":
    main()
