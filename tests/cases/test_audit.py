"""Every pathway page writes its audit row; without the audit there is no data."""

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.audit.services import AuditUnavailable
from saferoptions.cases import services

pytestmark = pytest.mark.django_db


def test_each_page_read_is_audited_once_with_its_purpose(client, world):
    client.force_login(world.users["social_worker"])
    for name in ("cases:child", "cases:chronology"):
        before = AuditEntry.objects.count()
        assert client.get(reverse(name, args=[world.child.public_id])).status_code == 200
        assert AuditEntry.objects.count() == before + 1
        entry = AuditEntry.objects.latest("sequence")
        assert entry.object_ids == [str(world.child.pk)] and entry.purpose == "direct_work"
    client.get(reverse("cases:child", args=[world.other.public_id]))
    denied = AuditEntry.objects.latest("sequence")
    assert (denied.action, denied.outcome) == ("deny", "denied")
    assert str(world.other.pk) not in denied.object_ids


def test_no_audit_no_data(client, world, monkeypatch):
    services.raise_concern(person=world.child, source="practitioner",
                           reason="Knife seen in her bag")

    def broken(**kwargs):
        raise AuditUnavailable("database unavailable")

    monkeypatch.setattr("saferoptions.cases.selectors.child.record", broken)
    monkeypatch.setattr("saferoptions.cases.selectors.chronology.record", broken)
    client.force_login(world.users["social_worker"])
    for name in ("cases:child", "cases:chronology"):
        response = client.get(reverse(name, args=[world.child.public_id]))
        assert response.status_code == 503
        assert "Knife seen" not in response.content.decode()
        assert "Okafor" not in response.content.decode()
