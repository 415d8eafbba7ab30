"""Request latency and audit failures for Prometheus, and one log line per request.

With several gunicorn workers (and the worker cluster) each process keeps its own figures; set
`PROMETHEUS_MULTIPROC_DIR` to a folder every process of one deployment shares and /metrics adds
them up (docs/deploy.md). Without it, /metrics shows the process that answered the scrape.
"""

import logging
import os
import time

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess

from saferoptions.audit.services import audit_write_failed

log = logging.getLogger("saferoptions.requests")

# Buckets around the targets in issue 18 (page p95 300 ms, p99 1 s).
REQUEST_SECONDS = Histogram(
    "saferoptions_request_seconds", "Time to answer one request, by route name.",
    ["route", "method", "status"],
    buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0),
)
AUDIT_WRITE_FAILURES = Counter(
    "saferoptions_audit_write_failures",
    "Audit rows that could not be written (the work they recorded was refused).",
)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _count_audit_failure(sender, **kwargs):
    AUDIT_WRITE_FAILURES.inc()


audit_write_failed.connect(_count_audit_failure, dispatch_uid="web.metrics.audit_failures")


class RequestMetricsMiddleware:
    """Times every request and logs it by route name: never its address, query or body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        route = _route(request)
        method = request.method if request.method in METHODS else "OTHER"
        REQUEST_SECONDS.labels(route, method, f"{response.status_code // 100}xx").observe(seconds)
        user = getattr(request, "user", None)
        log.info("request answered", extra={
            "route": route, "method": method, "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "request_id": getattr(request, "request_id", ""),
        })
        return response


def _route(request) -> str:
    """The URL name (a few hundred at most), so labels and logs never hold an address."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


def registry() -> CollectorRegistry:
    """Every process's figures when they share a folder, else this process's own."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shared = CollectorRegistry()
        multiprocess.MultiProcessCollector(shared)
        return shared
    return REGISTRY


def audit_write_failures() -> int:
    """Audit writes that failed since the processes started (all of them, when shared)."""
    for family in registry().collect():
        if family.name == "saferoptions_audit_write_failures":
            return int(sum(s.value for s in family.samples if s.name.endswith("_total")))
    return 0
