"""The DPO's audit search and the per-record access log selector."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.audit.selectors import access_log_for
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Role
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("audit:search")


@pytest.fixture
def dpo(client):
    user = UserFactory(role=Role.DATA_PROTECTION_OFFICER)
    client.force_login(user)
    return user


def add(actor, action, object_type, ids, outcome="ok", at=None):
    with clock.frozen(at or dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)), transaction.atomic():
        return record(
            actor=actor,
            action=action,
            object_type=object_type,
            object_ids=ids,
            outcome=outcome,
            purpose="direct_work",
        )


def test_access_log_for_finds_entries_naming_the_record_exactly():
    worker = UserFactory()
    seen = add(worker, "view", "person", [42])
    listed = add(worker, "list", "person", [7, 42, 420])
    add(worker, "view", "person", [420])
    add(worker, "view", "event", [42])
    assert list(access_log_for("person", 42)) == [listed, seen]


@pytest.mark.parametrize("role", [Role.HUB_PRACTITIONER, Role.SYSTEM_ADMINISTRATOR, Role.ANALYST])
def test_only_the_dpo_may_search_and_others_see_a_plain_404(client, role):
    client.force_login(UserFactory(role=role))
    response = client.get(URL)
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="search").exists()


def test_signed_out_visitors_see_a_404(client):
    assert client.get(URL).status_code == 404


def test_filters_narrow_the_results_and_the_search_is_audited(client, dpo):
    worker, other = UserFactory(), UserFactory()
    wanted = add(worker, "view", "person", [42], at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC))
    add(worker, "view", "person", [42], at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    add(other, "view", "person", [42], at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC))
    add(worker, "deny", "person", [42], outcome="denied", at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC))
    response = client.get(
        URL,
        {
            "user": worker.username,
            "action": "view",
            "object_type": "person",
            "object_id": "42",
            "date_from": "2026-05-01",
            "date_to": "2026-05-31",
            "outcome": "ok",
        },
    )
    assert response.status_code == 200
    assert [e.sequence for e in response.context["page"]] == [wanted.sequence]
    search = AuditEntry.objects.get(action="search")
    assert search.actor == dpo and search.purpose == "audit"
    assert search.object_ids == [str(wanted.sequence)]
    assert search.detail["filters"]["user"] == str(worker.pk)  # an id, never the username


def test_results_are_paginated(client, dpo, settings):
    settings.AUDIT_SEARCH_PAGE_SIZE = 3
    worker = UserFactory()
    for n in range(7):
        add(worker, "view", "person", [n])
    first = client.get(URL, {"object_type": "person"})
    third = client.get(URL, {"object_type": "person", "page": 3})
    assert len(first.context["page"]) == 3 and first.context["page"].paginator.num_pages == 3
    assert [e.sequence for e in third.context["page"]] == [1]
    assert b"govuk-pagination" in first.content


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"user": "nobody-by-this-name"}, "user", "no user with that username"),
        ({"date_from": "2026-13-01"}, "date_from", "Enter the start date as a date, like"),
        ({"date_to": "yesterday"}, "date_to", "Enter the end date as a date, like"),
        ({"object_type": "person; --"}, "object_type", "a record type in letters only"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to", "on or after"),
        ({"action": "DROP TABLE"}, "action", "from the list"),
        ({"object_id": "1; --"}, "object_id", "record's id"),
        ({"outcome": "maybe"}, "outcome", "from the list"),
    ],
)
def test_bad_filters_get_a_clear_error_naming_the_field(client, dpo, params, field, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert b"govuk-error-summary" in response.content
    assert not AuditEntry.objects.filter(action="search").exists()


def test_records_and_purposes_read_in_words_and_are_searched_as_shown(client, dpo):
    # The DPO read codes ('registered_practitioner', 'direct_work') and dates had to be typed
    # year first, as the labels said: 'From (YYYY-MM-DD)' (seen on the tour).
    worker = UserFactory()
    wanted = add(worker, "view", "registered_practitioner", [7],
                 at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC))  # for direct work
    page = client.get(URL).content.decode()
    assert "Registered practitioner 7" in page and "Direct work" in page
    assert "registered_practitioner" not in page and "YYYY-MM-DD" not in page
    found = client.get(URL, {"object_type": "Registered practitioner",
                             "date_from": "1/5/2026", "date_to": "31/5/2026"})
    assert [e.sequence for e in found.context["page"]] == [wanted.sequence]
