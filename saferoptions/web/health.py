"""Liveness, readiness and metrics for a partnership's monitoring (docs/deploy.md).

/healthz says only that the process answers, to anyone. /readyz and /metrics give counts and
ages, never a record, and only to a caller with the monitoring token (access/routes.py).
"""

from dataclasses import asdict

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily

from . import metrics, monitoring


@never_cache
@require_safe
def healthz(request):
    """The process is up and answering; it reads nothing, not even the database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request):
    """Ready when the database answers and a worker has run a job recently; 503 otherwise."""
    found = monitoring.readiness()
    body = {"ready": found.ready, "worker_ok": found.worker_ok, **asdict(found)}
    return JsonResponse(body, status=200 if found.ready else 503)


@never_cache
@require_safe
def metrics_view(request):
    """Prometheus text: request latency and audit failures, with the counts read now."""
    found = monitoring.readiness()
    output = generate_latest(metrics.registry()) + generate_latest(_CountsNow(found))
    return HttpResponse(output, content_type=CONTENT_TYPE_LATEST)


class _CountsNow:
    """The readiness figures as gauges, read at scrape time rather than kept per process."""

    def __init__(self, found: monitoring.Readiness):
        self.found = found

    def collect(self):
        found = self.found
        age = found.worker_heartbeat_age_seconds
        yield _gauge("database_up", "1 when the database answered.", int(found.database_ok))
        yield _gauge("worker_heartbeat_age_seconds",
                     "Seconds since a worker last ran a job (-1: never).",
                     -1 if age is None else age)
        yield _gauge("feed_backlog", "Feed messages received and not yet processed.",
                     found.feed_backlog)
        yield _gauge("queue_depth", "Jobs waiting in the background queue.", found.queue_depth)
        yield _gauge("sla_breaches", "Open tasks past their due time.", found.sla_breaches)
        yield _gauge("clocks_overdue", "Statutory clocks past due and not met.",
                     found.clocks_overdue)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"saferoptions_{name}", documentation, value=value)
