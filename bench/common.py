"""What every benchmark shares: the machine it ran on, timing, peak memory, the JSON line."""

import argparse
import json
import os
import platform
import resource
import sys
import time
from contextlib import contextmanager


def machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "database": os.environ.get("DATABASE_URL", "sqlite (default)").split("@")[-1],
    }


def peak_memory_mb() -> float:
    """Peak resident memory of this process (and finished children), in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


@contextmanager
def timed(figures: dict, name: str):
    """Time a block and store seconds under `name` in `figures`."""
    start = time.perf_counter()
    yield
    figures[name] = round(time.perf_counter() - start, 3)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    return p


def report(name: str, figures: dict) -> None:
    """Print the final JSON line: benchmark name, machine, then the figures."""
    print(json.dumps({"benchmark": name, "machine": machine(), **figures}), flush=True)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferoptions.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
