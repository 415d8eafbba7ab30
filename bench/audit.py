"""Audit benchmark: build a long valid chain, time `saferoptions audit verify`, time `record()`.

    python -m bench.audit [--quick] [--rows N]

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder. With DATABASE_URL the
database's name must contain "bench": the audit table is emptied first (TRUNCATE, as owner).
Target: 1,000,000 entries verified in under 60 s.
"""

import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import parser, peak_memory_mb, progress, report, setup_django, timed

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5_000


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=None, help="entries to build (default 1,000,000)")
    p.add_argument(
        "--existing", action="store_true", help="keep the chain a previous run built; time only"
    )
    args = p.parse_args()
    rows = args.rows or (20_000 if args.quick else 1_000_000)
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="bench-audit-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench_audit.sqlite3"
    setup_django()
    from django.conf import settings

    settings.DEBUG = False  # the debug query log would keep every bulk insert's SQL
    figures: dict = {"rows": rows}
    if args.existing:
        _check_bench_database()
        figures["rows"] = _count()
    else:
        _prepare()
        with timed(figures, "build_seconds"):
            _build(rows)
    figures.update(_record_latency(2_000 if not args.quick else 500))
    figures.update(_verify())
    figures["build_peak_memory_mb"] = _peak(resource.RUSAGE_SELF)
    figures["peak_memory_mb"] = peak_memory_mb()
    report("audit", figures)


def _check_bench_database() -> None:
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"refusing to use the audit log of {name!r}: its name must contain 'bench'")


def _prepare() -> None:
    from django.core.management import call_command
    from django.db import connection

    _check_bench_database()
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditentry")
    elif _count():
        sys.exit("the SQLite bench database is not empty: delete it first")
    from saferoptions.audit import chain
    from saferoptions.audit.models import ChainHead

    ChainHead.objects.update_or_create(
        id=1, defaults={"sequence": 0, "entry_hash": chain.GENESIS_HASH}
    )


def _count() -> int:
    from saferoptions.audit.models import AuditEntry

    return AuditEntry.objects.count()


def _actors() -> list[int]:
    from saferoptions.core.models import User

    users = [User.objects.get_or_create(username=f"bench-auditor-{n}")[0] for n in range(20)]
    return [u.pk for u in users]


def _entries(rows: int, actors: list[int]):
    """Entries shaped like real ones (views, lists of ids, searches), hashed as the writer does."""
    from saferoptions.audit import chain
    from saferoptions.audit.models import AuditEntry

    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    previous = chain.GENESIS_HASH
    for n in range(1, rows + 1):
        listing = n % 10 == 0
        entry = AuditEntry(
            sequence=n,
            at=start + dt.timedelta(seconds=n * 7, microseconds=n % 997),
            actor_id=actors[n % len(actors)],
            action="list" if listing else "view",
            object_type="person",
            object_ids=[str(n * 13 % 100_000 + k) for k in range(25 if listing else 1)],
            purpose="direct_work",
            outcome="ok" if n % 50 else "denied",
            request_id=f"{n:036d}",
            detail={"page": n % 4 + 1} if listing else {},
            previous_hash=previous,
        )
        entry.entry_hash = previous = chain.entry_hash(previous, chain.fields_of(entry))
        yield entry


def _build(rows: int) -> None:
    from django.db import transaction

    from saferoptions.audit.models import AuditEntry, ChainHead

    batch: list = []
    last = None
    for entry in _entries(rows, _actors()):
        batch.append(entry)
        if len(batch) == BATCH:
            with transaction.atomic():
                AuditEntry.objects.bulk_create(batch)
            last = batch[-1]
            batch = []
            if last.sequence % 100_000 == 0:
                progress(f"built {last.sequence:,} entries")
    if batch:
        AuditEntry.objects.bulk_create(batch)
        last = batch[-1]
    ChainHead.objects.filter(id=1).update(sequence=last.sequence, entry_hash=last.entry_hash)


def _record_latency(calls: int) -> dict:
    """Milliseconds per `record()` in its own transaction, with the chain already long."""
    from django.db import transaction

    from saferoptions.audit.services import record

    timings = []
    cpu_began = time.process_time()
    for n in range(calls):
        began = time.perf_counter()
        with transaction.atomic():
            record(
                actor=None,
                action="view",
                object_type="person",
                object_ids=[n],
                purpose="direct_work",
            )
        timings.append((time.perf_counter() - began) * 1000)
    cuts = statistics.quantiles(timings, n=100)
    return {
        "record_cpu_ms_mean": round((time.process_time() - cpu_began) * 1000 / calls, 3),
        "record_calls": calls,
        "record_p50_ms": round(cuts[49], 3),
        "record_p95_ms": round(cuts[94], 3),
    }


# Runs the real command in a fresh interpreter that reports its own peak memory at exit.
MEASURED_VERIFY = """
import resource, runpy, sys
sys.argv = ["manage.py", "audit", "verify", "--json"]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    own = resource.getrusage(resource.RUSAGE_SELF)
    print("peak_kib", own.ru_maxrss, own.ru_utime + own.ru_stime, file=sys.stderr)
"""


def _verify() -> dict:
    """Time `audit verify` in a child process, so its time and memory are its own."""
    progress("verifying")
    command = [sys.executable, "-c", MEASURED_VERIFY]
    began = time.perf_counter()
    finished = subprocess.run(  # noqa: S603 - our own interpreter and script
        command, capture_output=True, text=True, env=os.environ, cwd=ROOT, check=False
    )
    seconds = time.perf_counter() - began
    if finished.returncode != 0:
        sys.exit(f"audit verify failed ({finished.returncode}): {finished.stderr[-2000:]}")
    peak = [line for line in finished.stderr.splitlines() if line.startswith("peak_kib")]
    verified = _count()
    return {
        "verify_seconds": round(seconds, 2),
        "verify_rows_per_second": round(verified / seconds),
        # CPU seconds are what the verifier itself costs, whatever else shares the machine.
        "verify_cpu_seconds": round(float(peak[-1].split()[2]), 2),
        "verify_peak_memory_mb": round(int(peak[-1].split()[1]) / 1024, 1),
        "verified_entries": verified,
        "verify_output": finished.stdout.strip().splitlines()[-1],
    }


def _peak(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


if __name__ == "__main__":
    main()
