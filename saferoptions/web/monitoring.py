"""The figures readiness and metrics report: counts and ages only, never a record.

Other apps' tables are counted by their labels (`apps.get_model`), so `web` imports no domain
app; nothing here reads a column that holds personal data.
"""

import logging
import time
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection

from saferoptions.core import clock

from . import metrics

log = logging.getLogger(__name__)

# The worker's last sign of life, in the database-backed cache every process shares.
HEARTBEAT_KEY = "saferoptions:worker-heartbeat"
# Each worker process writes at most this often (seconds): a busy feed would otherwise add a
# write to every job.
HEARTBEAT_EVERY = 10.0
_last_beat = {"at": 0.0}


def beat(**kwargs) -> None:
    """Record that a worker just ran a job (django-q2's post_execute signal).

    The minute-by-minute schedules (tasks/rulebook.py) run a job every minute even when no feed
    is arriving, so a healthy worker is never more than about a minute and a half silent.
    """
    now = time.monotonic()
    if now - _last_beat["at"] < HEARTBEAT_EVERY:
        return
    _last_beat["at"] = now
    try:
        caches["throttle"].set(HEARTBEAT_KEY, clock.now().timestamp(), None)
    except DatabaseError:  # the job's own result matters more than the heartbeat
        log.warning("worker heartbeat could not be written")


@dataclass(frozen=True)
class Readiness:
    database_ok: bool
    worker_heartbeat_age_seconds: float | None  # None: no worker has run a job yet
    feed_backlog: int  # messages received and not yet processed
    queue_depth: int  # jobs waiting in django-q2's queue
    sla_breaches: int  # open tasks past their due time
    clocks_overdue: int  # statutory clocks past due and not met
    audit_write_failures: int

    @property
    def worker_ok(self) -> bool:
        age = self.worker_heartbeat_age_seconds
        return age is not None and age <= settings.MONITORING_WORKER_STALE_SECONDS

    @property
    def ready(self) -> bool:
        return self.database_ok and self.worker_ok


def readiness() -> Readiness:
    """Every figure, or a not-ready answer with zeros when the database cannot be reached."""
    try:
        counts = _counts()
    except DatabaseError:
        log.warning("readiness: the database could not be reached")
        return Readiness(False, None, 0, 0, 0, 0, metrics.audit_write_failures())
    return Readiness(True, heartbeat_age(), **counts,
                     audit_write_failures=metrics.audit_write_failures())


def _counts() -> dict[str, int]:
    now = clock.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    model = apps.get_model
    return {
        "feed_backlog": model("feeds", "InboxMessage").objects.filter(status="received").count(),
        "queue_depth": model("django_q", "OrmQ").objects.count(),
        "sla_breaches": model("tasks", "Task").objects.filter(
            status="open", due_at__lt=now).count(),
        "clocks_overdue": model("cases", "StatutoryClock").objects.filter(
            met_at__isnull=True, due_at__lt=now).count(),
    }


def heartbeat_age() -> float | None:
    """Seconds since a worker last ran a job, or None if none has."""
    beat_at = caches["throttle"].get(HEARTBEAT_KEY)
    if beat_at is None:
        return None
    return max(0.0, round(clock.now().timestamp() - float(beat_at), 1))
