"""The strategic apps on a generated city: each dashboard's first view, and the forecast's PAI.

    python -m bench.apps [--quick] [--children N] [--requests N] [--seeds 101,102,103]
                         [--score-children N]

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder; with DATABASE_URL the
database's name must contain "bench" (it is filled with a synthetic city). The city's events
run up to today (as `generate-city --ending-today`), left unlinked (the figures count records
whatever their linkage). Each app's first view (and the forecast page) is fetched through the
Django test client as the strategic lead: one cold request, then `requests` warm ones, p50 and
p95. The forecast's past accuracy is what its page shows: PAI at 5% of the area over the last
12 whole weeks, each forecast from the weeks before it, beside last week's hot spots.
Targets (issue 16, 100,000 children on PostgreSQL): first view p95 <= 1 s; forecast PAI at 5%
>= 1.3x the naive baseline's and >= 0.8x the oracle's.

Scored against truth (`truth`): on city seeds never used in development (`--seeds`, generated
in memory at `--score-children`), the forecast, the naive baseline and an oracle that flags
the cells of highest true intensity that week (`city.place_risk.intensity`), over the last 12
whole weeks each: PAI, hit rate and PEI* at 1% and 5% of the area, pooled over seeds and
weeks with 95% bootstrap intervals (resampling weeks); and the hot spots (Gi*, as the pages
run it, old and targeted flagging) over the last 52 weeks: share of the area flagged and how
many of the truly riskiest 5% of cells they find.

Event to figure (`latency`): a knife incident posted to the partner API (processed inline,
`SAFEROPTIONS_Q_SYNC=1`: the worker's pick-up delay is not in it) is looked for in the
Violence Reduction app's knife figure (its CSV, the locality of the place named), fetched
until it counts; seconds from the post to the first fetch that shows it.
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import parser, peak_memory_mb, progress, report, setup_django, timed

PAGES = ("/dashboard/safer-options/", "/dashboard/violence-reduction/",
         "/dashboard/exploitation/", "/dashboard/violence-reduction/forecast/",
         "/dashboard/safer-options/demand/")
SEED = 1


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=None, help="default 100,000 (quick 2,000)")
    p.add_argument("--requests", type=int, default=None, help="default 200 (quick 20)")
    p.add_argument("--seeds", default="101,102,103",
                   help="held-out city seeds to score against truth (never the dev seed 1)")
    p.add_argument("--score-children", type=int, default=None,
                   help="size of each held-out city (default 20,000; quick 5,000)")
    p.add_argument("--pages-only", action="store_true",
                   help="only the pages' timings and the event-to-figure latency (no scoring)")
    args = p.parse_args()
    seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
    if SEED in seeds:
        sys.exit(f"seed {SEED} is the development city: score on others")
    score_children = args.score_children or (5_000 if args.quick else 20_000)
    children = args.children or (2_000 if args.quick else 100_000)
    requests = args.requests or (20 if args.quick else 200)
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="bench-apps-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench_apps.sqlite3"
        os.environ.setdefault("SAFEROPTIONS_VAR_DIR", folder)
    os.environ["SAFEROPTIONS_Q_SYNC"] = "1"
    setup_django()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    # Started as a web worker starts (saferoptions.wsgi loads every view), so a page's cold
    # view is its figures' first working, not the process's imports.
    import saferoptions.wsgi  # noqa: F401, PLC0415
    figures: dict = {"children": children, "requests_per_page": requests}
    with timed(figures, "setup_seconds"):
        figures["events"] = _prepare(children)
    user = _lead()
    figures["pages"] = {page: _measure(user, page, requests) for page in PAGES}
    figures["load_average"] = os.getloadavg()  # the machine is shared: say how busy it was
    if not args.pages_only:
        figures["forecast"] = _forecast(user)
    figures["latency"] = _latency(user, tries=3 if children <= 5_000 else 5)
    if not args.pages_only:
        figures["truth"] = _truth(seeds, score_children)
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
        if connection.vendor == "postgresql":
            # Planner statistics after the bulk load, as autovacuum gathers them in production:
            # without them the first run's pages timed the planner's guesses (VR p95 3.4 s
            # against 0.95 s on the same code and city once they were gathered).
            progress("analysing...")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
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
    return {"status": status, "cold_s": round(cold, 3), "load_1min": os.getloadavg()[0],
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


def _latency(user, tries: int) -> dict:
    """Post a knife incident through the partner API; time until the app's figure counts it."""
    import csv
    import io
    import json

    from django.test import Client

    from saferoptions.contexts.models import Place
    from saferoptions.core import clock
    from saferoptions.core.models import Agency
    from saferoptions.feeds import services

    _, token = services.create_partner_system(
        actor=None, name=f"bench-apps-{time.time_ns()}", agency=Agency.objects.get(slug="police"),
        feed_types=["police_incident"])
    api, viewer = Client(), Client()
    viewer.force_login(user)
    place = Place.objects.exclude(ward=None).select_related("ward__locality").order_by("id").first()
    url = ("/dashboard/violence-reduction/knife.csv?period=4w&locality="
           f"{place.ward.locality.slug}")

    def total() -> int:
        # The table's "Total" row (notes follow it), its last cell: the grand total.
        rows = list(csv.reader(io.StringIO(viewer.get(url).content.decode())))
        cell = next(r for r in rows if r and r[0] == "Total")[-1]
        if not cell.isdigit():
            sys.exit(f"the knife figure's total is {cell!r}: the probe needs a shown count")
        return int(cell)
    seconds = []
    for n in range(tries):
        before = total()
        now = clock.now()
        body = {"idempotency_key": f"bench-apps-{time.time_ns()}-{n}",
                "source_reference": f"BA-{time.time_ns()}", "category": "knife",
                "occurred_at": (now - dt.timedelta(minutes=20)).isoformat(),
                "place": {"name": place.name}, "objects": [{"kind": "knife"}]}
        start = time.perf_counter()
        code = api.post("/api/feeds/police_incident/messages/", data=json.dumps(body),
                        content_type="application/json",
                        headers={"Authorization": f"Bearer {token}"}).status_code
        while total() <= before and time.perf_counter() - start < 30:
            time.sleep(0.05)
        seconds.append(round(time.perf_counter() - start, 3))
        if code >= 300:
            return {"error": f"the partner API answered {code}", "seconds": seconds}
    return {"tries": tries, "max_s": max(seconds), "seconds": seconds, "target_s": 5,
            "note": "processed inline (SAFEROPTIONS_Q_SYNC=1); figure = the knife CSV total"}


def _truth(seeds: list[int], children: int) -> dict:
    """Forecast, naive and oracle; hot spots; all against held-out cities' true intensity."""
    import polars as pl
    from django.conf import settings

    from saferoptions.analytics import forecast as model
    from saferoptions.analytics import place_scoring as scoring
    from saferoptions.city.generator import generate
    from saferoptions.city.truth import place_frames
    from saferoptions.core import clock
    from saferoptions.dashboards.forecast import METHOD, SCORED_WEEKS

    rows = {0.01: [], 0.05: []}
    hotspots = {"targeted": [], "plain_gi_star": []}
    for seed in seeds:
        progress(f"held-out city seed {seed}: {children:,} children, in memory...")
        city = generate(children=children, seed=seed, months=12, end=clock.today())
        events = _counted(city)
        counts = model.weekly_counts(events, resolution=settings.H3_RESOLUTION)
        truth = scoring.truth_by_cell(place_frames(city)["place_weeks"],
                                      resolution=settings.H3_RESOLUTION)
        area = sorted(set(model.study_cells(**settings.CONTEXTS_CITY_BOX,
                                            resolution=settings.H3_RESOLUTION))
                      | set(counts.get_column("cell").to_list()))
        whole = sorted(w for w in truth.get_column("week").unique().to_list()
                       if w >= city.start and w + model.WEEK <= city.end)
        for share in rows:
            for row in scoring.rolling_with_oracle(
                    counts, truth, target_weeks=whole[-SCORED_WEEKS:], area_cells=len(area),
                    share=share, method=METHOD):
                rows[share].append({"seed": seed, **row})
        hotspots_of(events.filter(pl.col("occurred_at").dt.date() >= whole[-52]
                                  if len(whole) >= 52 else pl.lit(True)),
                    truth, area, hotspots, seed)
    out = {"seeds": seeds, "children_each": children, "weeks_each": SCORED_WEEKS,
           "method": METHOD.described()}
    for share, found in rows.items():
        out[f"{round(share * 100)}pct"] = _pooled(found)
    out["hotspots"] = hotspots
    return out


def _counted(city):
    """What the forecast counts, straight from the generated city: knife or placed ED."""
    import polars as pl

    rows = []
    for e in city.events:
        knife = e.category == "knife" or any(k == "knife" for k, _ in e.objects)
        if e.place is not None and (knife or e.event_type == "ed_assault"):
            place = city.places[e.place]
            rows.append((place.latitude, place.longitude, e.occurred_at))
    return pl.DataFrame(rows, orient="row", schema={
        "lat": pl.Float64, "lng": pl.Float64, "occurred_at": pl.Datetime("us", "UTC")})


def hotspots_of(events, truth, area, out: dict, seed: int) -> None:
    import polars as pl
    from django.conf import settings

    from saferoptions.analytics import place_scoring as scoring
    from saferoptions.analytics.hotspots import CityBounds, find_hotspots

    total = dict(truth.group_by("cell").agg(pl.col("expected").sum()).iter_rows())
    for name, rule in (("targeted", "active_mean"), ("plain_gi_star", "none")):
        result = find_hotspots(events, bounds=CityBounds(**settings.CONTEXTS_CITY_BOX),
                               resolution=settings.H3_RESOLUTION, k=settings.CONTEXTS_HOTSPOT_K,
                               alpha=settings.CONTEXTS_HOTSPOT_ALPHA,
                               correction=settings.CONTEXTS_HOTSPOT_CORRECTION, min_own=rule)
        flagged = set(result.hot_cells.get_column("cell").to_list())
        out[name].append({"seed": seed, **scoring.hotspot_truth(flagged, total,
                                                                area_cells=len(area))})


def _pooled(rows: list[dict]) -> dict:
    """Means over every (seed, week) with 95% bootstrap intervals, and the ratios."""
    from saferoptions.analytics.place_scoring import bootstrap_mean, bootstrap_ratio

    def col(name):
        return [r[name] for r in rows]

    def ci(values):
        mean, low, high = values
        return [round(mean, 3), round(low, 3), round(high, 3)]
    out = {"weeks": len(rows)}
    for who in ("forecast", "naive", "oracle"):
        out[who] = {"pai": ci(bootstrap_mean(col(f"{who}_pai"))),
                    "hit_rate": ci(bootstrap_mean(col(f"{who}_hit_rate"))),
                    "pei": ci(bootstrap_mean(col(f"{who}_pei")))}
    out["forecast_over_naive_pai"] = ci(bootstrap_ratio(col("forecast_pai"), col("naive_pai")))
    out["forecast_over_oracle_pai"] = ci(bootstrap_ratio(col("forecast_pai"),
                                                         col("oracle_pai")))
    out["intervals"] = "[mean, 2.5%, 97.5%], bootstrap over (seed, week), 2,000 draws"
    return out


if __name__ == "__main__":
    main()
