"""The strategic apps on a generated city: each dashboard's first view, and the forecast's PAI.

    python -m bench.apps [--quick] [--children N] [--requests N]

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder; with DATABASE_URL the
database's name must contain "bench" (it is filled with a synthetic city). The city's events
run up to today (as `generate-city --ending-today`), left unlinked (the figures count records
whatever their linkage). Each app's first view (and the forecast page) is fetched through the
Django test client as the strategic lead: one cold request, then `requests` warm ones, p50 and
p95. The forecast's past accuracy is what its page shows: PAI at 5% of the area over the last
12 whole weeks, each forecast from the weeks before it, beside last week's hot spots.
Targets (issue 16, 100,000 children on PostgreSQL): first view p95 <= 1 s; forecast PAI at 5%
>= 1.3x the naive baseline's. No oracle is reported: the city keeps no place-risk truth yet.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import parser, peak_memory_mb, progress, report, setup_django, timed

PAGES = ("/dashboard/safer-options/", "/dashboard/violence-reduction/",
         "/dashboard/exploitation/", "/dashboard/violence-reduction/forecast/")
SEED = 1


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=None, help="default 100,000 (quick 2,000)")
    p.add_argument("--requests", type=int, default=None, help="default 200 (quick 20)")
    args = p.parse_args()
    children = args.children or (2_000 if args.quick else 100_000)
    requests = args.requests or (20 if args.quick else 200)
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="bench-apps-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench_apps.sqlite3"
        os.environ.setdefault("SAFEROPTIONS_VAR_DIR", folder)
    setup_django()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    figures: dict = {"children": children, "requests_per_page": requests}
    with timed(figures, "setup_seconds"):
        figures["events"] = _prepare(children)
    user = _lead()
    figures["pages"] = {page: _measure(user, page, requests) for page in PAGES}
    figures["forecast"] = _forecast(user)
    figures["peak_memory_mb"] = peak_memory_mb()
    report("apps", figures)
    if any(v["status"] != 200 for v in figures["pages"].values()):
        sys.exit("a page did not answer 200: its timings measure an error page")


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
    from saferoptions.events.models import Event

    if not Event.objects.exists():
        progress(f"generating and loading {children:,} children (events up to today)...")
        load_city(generate(children=children, seed=SEED, months=12, end=clock.today()),
                  progress=lambda m: progress(f"    {m}"))
    return Event.objects.count()


def _lead():
    from saferoptions.core.models import Role, User

    user, _ = User.objects.get_or_create(username="bench-strategic-lead",
                                         defaults={"role": Role.STRATEGIC_LEAD})
    return user


def _measure(user, page: str, requests: int) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    progress(f"{page}: 1 cold + {requests} warm requests...")
    start = time.perf_counter()
    status = client.get(page).status_code
    cold = time.perf_counter() - start
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(page)
        times.append(time.perf_counter() - start)
        status = max(status, response.status_code)
    times.sort()
    return {"status": status, "cold_s": round(cold, 3),
            "p50_s": round(statistics.median(times), 3),
            "p95_s": round(times[max(0, int(len(times) * 0.95) - 1)], 3)}


def _forecast(user) -> dict:
    from saferoptions.dashboards.forecast import next_week

    page = next_week(user=user)
    out = {"target_week": page.target.isoformat(), "area_cells": page.area_cells,
           "weeks_scored": page.scored_weeks}
    for s in page.summaries:
        key = f"{round(s.share * 100)}pct"
        out[key] = {"forecast_pai": round(s.forecast_pai, 2), "naive_pai": round(s.naive_pai, 2),
                    "ratio": round(s.forecast_pai / s.naive_pai, 2) if s.naive_pai else None,
                    "forecast_hit_rate": round(s.forecast_hit_rate, 3),
                    "naive_hit_rate": round(s.naive_hit_rate, 3),
                    "forecast_pei": round(s.forecast_pei, 3),
                    "naive_pei": round(s.naive_pei, 3), "verdict": s.verdict}
    return out


if __name__ == "__main__":
    main()
