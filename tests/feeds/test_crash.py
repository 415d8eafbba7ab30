"""Faults: kill the worker (SIGKILL) mid-batch and start it again; redeliver the whole batch.

Every process here is a real subprocess against a real database file (SQLite) or the test
database (PostgreSQL), so nothing is shared in memory with the test.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from saferoptions.feeds.flat import columns

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
ROWS = 30
CHECK = """
import json, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferoptions.settings"); django.setup()
from django.db.models import Count
from saferoptions.events.models import Event
from saferoptions.feeds.models import Batch, InboxMessage
from saferoptions.feeds.selectors import ledger
from saferoptions.tasks.models import Task
print(json.dumps({
  "events": Event.objects.count(),
  "tasks": Task.objects.count(),
  "task_events": Task.objects.values("event").distinct().count(),
  "status": dict(InboxMessage.objects.values_list("status").annotate(n=Count("pk"))),
  "ledgers": [ledger(b) for b in Batch.objects.order_by("pk")],
}))
"""


def _database_url(tmp_path) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def _run(env, *args, **kwargs):
    return subprocess.run([sys.executable, MANAGE, *args], env=env, capture_output=True,  # noqa: S603
                          text=True, timeout=120, check=True, **kwargs)


def _school_file(path: Path) -> Path:
    header = columns("school_incident")
    lines = [",".join(header)]
    for n in range(ROWS):
        row = {"idempotency_key": f"crash-{n}", "source_reference": f"SCH-{n}",
               "occurred_at": "2026-01-05T10:00:00+00:00", "school_urn": "100001",
               "incident_kind": "weapon", "person_source_id": f"PUPIL-{n}"}
        lines.append(",".join(row.get(c, "") for c in header))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_nothing_and_duplicates_nothing(tmp_path):
    env = {**os.environ, "DATABASE_URL": _database_url(tmp_path), "SAFEROPTIONS_TESTING": "1",
           "SAFEROPTIONS_Q_SYNC": "0", "DJANGO_LOG_LEVEL": "WARNING"}
    if connection.vendor == "sqlite":
        _run(env, "migrate", "--noinput")
    feed = _school_file(tmp_path / "schools.csv")
    _run(env, "import_feed", "school_incident", str(feed), "--agency", "education")

    worker = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, MANAGE, "process_inbox", "--pause", "0.05"],
        env=env, stdout=subprocess.PIPE, text=True)
    for _ in range(ROWS // 3):
        assert worker.stdout.readline().startswith("processed")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL  # it died mid-batch, not at the end

    _run(env, "process_inbox")
    _run(env, "import_feed", "school_incident", str(feed), "--agency", "education",
         "--process-now")
    after = _check(env)

    first, redelivered = after["ledgers"]
    assert first == {"received": ROWS, "accepted": ROWS, "quarantined": 0, "duplicates": 0,
                     "processing": 0, "balanced": True}
    assert redelivered["duplicates"] == ROWS and redelivered["balanced"]
    assert after["status"] == {"accepted": ROWS}
    # One event per row, and one risk assessment per event: exactly the accepted count.
    assert after["events"] == after["tasks"] == after["task_events"] == first["accepted"]


def _check(env) -> dict:
    return json.loads(_run(env, "shell", "-c", CHECK).stdout.strip().splitlines()[-1])
