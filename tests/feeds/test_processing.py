"""The processing job: crash repair by the sweep, batches, and a message that breaks it."""

import datetime as dt
import json

import pytest

from saferoptions.core import clock
from saferoptions.core.models import Agency
from saferoptions.events.models import Event
from saferoptions.feeds import processing, services
from saferoptions.feeds.models import InboxMessage
from saferoptions.tasks.models import Task

from .factories import message

pytestmark = pytest.mark.django_db
EVENTS = Event.objects


def _stored(n=1):
    """Messages stored as if the process died before enqueueing them."""
    hospital = Agency.objects.get(slug="hospital-ed")
    out = []
    for _ in range(n):
        body = message("ed_assault")
        out.append(services.store_message(agency=hospital, feed_type="ed_assault",
                                          key=body["idempotency_key"],
                                          raw=json.dumps(body).encode()).message)
    return out


def test_the_sweep_finishes_what_a_crash_left_and_only_that():
    left = _stored(2)
    assert services.sweep_inbox(older_than_seconds=60) == 0  # too fresh: may be in flight
    with clock.frozen(clock.now() + dt.timedelta(minutes=2)):
        assert services.sweep_inbox(older_than_seconds=60) == 2
    assert set(InboxMessage.objects.values_list("status", flat=True)) == {"accepted"}
    assert Task.objects.count() == 2 and {m.pk for m in left} == set(
        InboxMessage.objects.values_list("pk", flat=True))


def test_one_job_takes_the_waiting_messages_in_one_batch_and_the_rest_do_nothing():
    first, *others = _stored(4)
    assert services.process_message(first.pk) == "accepted"
    assert EVENTS.count() == 4
    for other in others:
        assert services.process_message(other.pk) == "accepted"
    assert EVENTS.count() == 4 and Task.objects.count() == 4


def test_a_message_that_breaks_the_handler_is_quarantined_after_its_attempts(monkeypatch,
                                                                              settings):
    settings.FEEDS_MAX_ATTEMPTS = 2
    bad, good = _stored(2)
    real = processing.record_event

    def breaks_on_bad(agency, draft):
        if draft.source_reference == json.loads(bytes(bad.raw))["source_reference"]:
            raise RuntimeError("boom")
        return real(agency, draft)

    monkeypatch.setattr(processing, "record_event", breaks_on_bad)
    services.process_message(bad.pk)
    assert InboxMessage.objects.get(pk=good.pk).status == "accepted"  # not held up
    assert InboxMessage.objects.get(pk=bad.pk).status == "received"
    services.process_message(bad.pk)
    bad.refresh_from_db()
    assert bad.status == "quarantined" and bad.errors[0]["field"] == "message"
    assert EVENTS.count() == 1
