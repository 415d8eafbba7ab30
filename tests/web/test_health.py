"""Liveness for anyone, readiness and metrics only with the monitoring token: counts, no records."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import DatabaseError
from django.urls import reverse

from saferoptions.audit import services as audit
from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.feeds.models import InboxMessage
from saferoptions.tasks.models import Task, TaskRule
from saferoptions.web import metrics, monitoring
from tests.core.factories import UserFactory
from tests.tasks.factories import send

pytestmark = pytest.mark.django_db
TOKEN = "monitoring-token-for-tests-0123456789"  # noqa: S105
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def token(settings):
    settings.MONITORING_TOKEN = TOKEN
    caches["throttle"].delete(monitoring.HEARTBEAT_KEY)
    monitoring._last_beat["at"] = 0.0


def no_store(response) -> bool:
    return "no-store" in response["Cache-Control"]


def test_liveness_says_only_ok_to_anyone(client):
    response = client.get(reverse("web:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert no_store(response)


def test_liveness_refuses_a_post(client):
    assert client.post(reverse("web:healthz")).status_code == 405


@pytest.mark.parametrize("name", ["web:readyz", "web:metrics"])
def test_without_a_configured_token_readiness_and_metrics_are_not_there(client, settings, name):
    settings.MONITORING_TOKEN = ""
    assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse(name), HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("name", ["web:readyz", "web:metrics"])
@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x",
                                    TOKEN])
def test_a_wrong_or_missing_token_looks_like_no_page(client, token, name, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert client.get(reverse(name), **extra).status_code == 404


def test_a_signed_in_user_without_the_token_cannot_read_them(client, token):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("web:readyz")).status_code == 404


def test_not_ready_until_a_worker_has_run_a_job(client, token):
    response = client.get(reverse("web:readyz"), **AUTH)
    assert response.status_code == 503
    assert response.json()["database_ok"] is True
    assert response.json()["worker_heartbeat_age_seconds"] is None
    assert no_store(response)


def test_ready_with_a_recent_heartbeat_and_counts_only(client, token):
    monitoring.beat()
    body = client.get(reverse("web:readyz"), **AUTH).json()
    assert body["ready"] is True and body["worker_ok"] is True
    assert 0 <= body["worker_heartbeat_age_seconds"] < 5
    assert set(body) == {"ready", "worker_ok", "database_ok", "worker_heartbeat_age_seconds",
                         "feed_backlog", "queue_depth", "sla_breaches", "clocks_overdue",
                         "audit_write_failures"}
    assert all(isinstance(v, bool | int | float) for v in body.values())


def test_a_stale_heartbeat_is_not_ready(client, token, settings):
    at = clock.now() - dt.timedelta(seconds=settings.MONITORING_WORKER_STALE_SECONDS + 5)
    caches["throttle"].set(monitoring.HEARTBEAT_KEY, at.timestamp(), None)
    response = client.get(reverse("web:readyz"), **AUTH)
    assert response.status_code == 503 and response.json()["worker_ok"] is False


def test_a_database_that_does_not_answer_is_not_ready(client, token, monkeypatch):
    monitoring.beat()

    def down():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(monitoring, "_counts", down)
    response = client.get(reverse("web:readyz"), **AUTH)
    assert response.status_code == 503
    assert response.json()["database_ok"] is False


def test_readiness_counts_the_feed_backlog_and_breached_tasks(client, token):
    processed = send("police_incident")
    # A message received and not yet taken by a worker (as after a crash, or under a flood).
    InboxMessage.objects.create(
        agency=processed.agency, feed_type="police_incident", idempotency_key="waiting",
        body_hash="0" * 64, raw=b"{}", status="received", received_at=clock.now())
    body = client.get(reverse("web:readyz"), **AUTH).json()
    assert body["feed_backlog"] == 1
    assert body["sla_breaches"] == 0
    rule = TaskRule.objects.filter(is_active=True).first()
    task = Task.objects.create(
        rule=rule, rule_version=rule.version, dedupe_key="readiness", task_type=rule.task_type,
        team=Team.objects.first(), created_at=clock.now(),
        due_at=clock.now() + dt.timedelta(hours=4))
    with clock.frozen(task.due_at + dt.timedelta(minutes=1)):
        later = client.get(reverse("web:readyz"), **AUTH).json()
    assert later["sla_breaches"] == Task.objects.filter(status="open").count() >= 1


def test_an_audit_write_failure_is_counted(client, token):
    before = metrics.audit_write_failures()
    audit.audit_write_failed.send_robust(sender=None, action="view_person")
    assert metrics.audit_write_failures() == before + 1
    body = client.get(reverse("web:readyz"), **AUTH).json()
    assert body["audit_write_failures"] == before + 1


def test_metrics_are_prometheus_text_with_latency_by_route_name(client, token):
    client.get(reverse("web:healthz"))
    response = client.get(reverse("web:metrics"), **AUTH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert 'saferoptions_request_seconds_bucket{le="0.3",method="GET",route="web:healthz",' \
           'status="2xx"}' in text
    for name in ("saferoptions_feed_backlog", "saferoptions_queue_depth",
                 "saferoptions_sla_breaches", "saferoptions_audit_write_failures_total",
                 "saferoptions_worker_heartbeat_age_seconds", "saferoptions_database_up 1.0"):
        assert name in text
    assert no_store(response)


def test_metrics_never_label_with_an_address_or_query(client, token):
    client.get("/people/search/?q=Canaryname")
    client.get("/no/such/page/Canaryname")
    text = client.get(reverse("web:metrics"), **AUTH).content.decode()
    assert "Canaryname" not in text and "/people/" not in text
    assert 'route="unmatched"' in text
