"""Synthetic city: generation and loading time and peak memory at 5,000 and 100,000 children.

    python -m bench.city [--quick] [--sizes 10000,30000]

Runs on DATABASE_URL if set (an empty, throwaway database), otherwise on a new SQLite file in
a temporary folder; migrates it first. Linkage is not part of this benchmark.
"""

import argparse
import os
import tempfile
import time

from bench.common import parser, peak_memory_mb, progress, report, setup_django, timed

SEED = 1


def run_size(children: int) -> dict:
    from django.conf import settings

    from saferoptions.city.generator import generate
    from saferoptions.city.loader import load_city
    from saferoptions.city.removal import remove_city
    from saferoptions.city.truth import write_truth

    figures: dict = {"children": children}
    started = time.perf_counter()
    progress(f"generating {children:,} children...")
    with timed(figures, "generate_seconds"):
        city = generate(children=children, seed=SEED)
    counts = city.counts()
    figures.update({k: counts[k] for k in ("people", "identities", "events", "involvements",
                                           "relationships")})
    progress(f"  {counts['events']:,} events; writing truth...")
    with timed(figures, "truth_seconds"):
        write_truth(city, settings.EVALUATION_DIR)
    progress("  loading into the database...")
    with timed(figures, "load_seconds"):
        loaded = load_city(city, progress=lambda m: progress(f"    {m}"))
    figures["seconds"] = round(time.perf_counter() - started, 3)
    figures["peak_mb"] = peak_memory_mb()
    del city
    progress("  removing it again (as --replace does)...")
    with timed(figures, "remove_seconds"):
        remove_city(loaded)
    progress(f"  {figures}")
    return figures


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not whole numbers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"each size must be at least 1: {text!r}")
    return sizes


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--sizes", type=_sizes, default=None,
                   help="children per city, comma-separated (default 5000,100000)")
    args = p.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["SAFEROPTIONS_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-city-")
    os.environ.setdefault("SAFEROPTIONS_EVALUATION_DIR", tempfile.mkdtemp(prefix="bench-truth-"))
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    progress(f"migrating the {connection.vendor} benchmark database...")
    call_command("migrate", verbosity=0)
    sizes = args.sizes or ((1_000, 5_000) if args.quick else (5_000, 100_000))
    results = [run_size(n) for n in sizes]
    report("city", {"database": connection.vendor, "sizes": results,
                    "targets": {"5000_seconds": 60, "100000_seconds": 900, "peak_mb": 4096}})


if __name__ == "__main__":
    main()
