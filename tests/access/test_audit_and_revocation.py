"""Every look is audited once; no audit, no data; revocation counts on the very next request."""

import logging

import pytest
from django.urls import reverse

from saferoptions.access.models import BreakGlassGrant, InformationSharingAgreement
from saferoptions.audit.models import AuditEntry
from saferoptions.audit.services import AuditUnavailable
from saferoptions.cases.models import TeamAroundChildMember
from saferoptions.core import clock
from saferoptions.core.models import Role
from saferoptions.people.models import Person

from .conftest import CANARY_TEXTS, PRACTITIONERS

pytestmark = pytest.mark.django_db


def _requests(scene):
    """(role, method, url, data) for every auditable request a user can make."""
    mine, canary, absent = scene.mine.public_id, scene.canary.public_id, scene.absent
    lead = Role.LEAD_WORKER
    return [
        (lead, "get", reverse("people:detail", args=[mine]), None),
        (lead, "get", reverse("people:detail", args=[canary]), None),
        (lead, "get", reverse("people:detail", args=[absent]), None),
        (lead, "get", reverse("people:search"), {"q": "Ash"}),
        (lead, "get", reverse("people:search"), None),
        (lead, "get", reverse("people:export"), None),
        (lead, "get", reverse("people-api:list"), None),
        (lead, "get", reverse("people-api:detail", args=[mine]), None),
        (lead, "get", reverse("people-api:detail", args=[canary]), None),
        (lead, "get", reverse("contexts:place", args=[scene.place.pk]), None),
        (lead, "get", reverse("contexts:group", args=[scene.group.pk]), None),
        (lead, "get", reverse("access:access-log", args=[mine]), None),
        (Role.POLICE_OFFICER, "get", reverse("access:access-log", args=[mine]), None),
        (Role.DATA_PROTECTION_OFFICER, "get", reverse("access:break-glass-queue"), None),
        (lead, "post", reverse("access:break-glass"),
         {"person": str(canary), "reason": "Out-of-hours ED attendance, need history now"}),
        (lead, "post", reverse("access:break-glass"),
         {"person": str(absent), "reason": "Out-of-hours ED attendance, need history now"}),
    ]


def test_every_auditable_request_writes_exactly_one_audit_row(client, scene):
    for role, method, url, data in _requests(scene):
        client.force_login(scene.users[role])
        before = AuditEntry.objects.count()
        response = getattr(client, method)(url, data or {})
        assert response.status_code in (200, 302, 404), url
        assert AuditEntry.objects.count() == before + 1, (role, method, url)


def test_a_list_audits_the_ids_it_returned(client, scene):
    client.force_login(scene.users[Role.LEAD_WORKER])
    client.get(reverse("people:search"))
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry.action == "list"
    assert entry.object_ids == [str(scene.mine.pk)]


def test_a_denial_is_audited_as_deny_with_no_personal_value(client, scene):
    client.force_login(scene.users[Role.POLICE_OFFICER])
    client.get(reverse("people:detail", args=[scene.canary.public_id]))
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.action, entry.outcome) == ("deny", "denied")
    assert str(scene.canary.pk) not in entry.object_ids


AUDIT_CALLERS = [
    "saferoptions.people.selectors.record", "saferoptions.contexts.selectors.record",
    "saferoptions.access.selectors.record", "saferoptions.access.services.record",
]


def _break_audit(monkeypatch):
    def broken(**kwargs):
        raise AuditUnavailable("database unavailable")

    for target in AUDIT_CALLERS:
        monkeypatch.setattr(target, broken)


def test_when_the_audit_cannot_be_written_no_data_is_shown(client, scene, monkeypatch):
    _break_audit(monkeypatch)
    for role, method, url, data in _requests(scene):
        client.force_login(scene.users[role])
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 503, url
        assert b"Ashanti" not in response.content and b"Mbeki" not in response.content
        for text in CANARY_TEXTS:
            assert text.encode() not in response.content
    assert not BreakGlassGrant.objects.exists()  # no grant without its audit row


def test_ended_team_membership_closes_the_record_on_the_next_request(client, scene):
    user = scene.users[Role.LEAD_WORKER]
    client.force_login(user)
    url = reverse("people:detail", args=[scene.mine.public_id])
    assert client.get(url).status_code == 200
    TeamAroundChildMember.objects.filter(user=user).update(ended_on=clock.today())
    assert client.get(url).status_code == 404
    assert b"Ashanti" not in client.get(reverse("people:search")).content


def test_ended_agreement_hides_the_shared_category_on_the_next_request(client, scene):
    client.force_login(scene.users[Role.SOCIAL_WORKER])
    url = reverse("people:detail", args=[scene.mine.public_id])
    assert b"2 Known Road" not in client.get(url).content  # address was never shared
    assert scene.agencies["police"].name.encode() in client.get(url).content
    InformationSharingAgreement.objects.update(ends_on=clock.today())
    response = client.get(url)
    assert response.status_code == 200  # still in the team: own agency's records remain
    assert scene.agencies["police"].name.encode() not in response.content


def test_disabled_account_sees_nothing_on_the_next_request(client, scene):
    user = scene.users[Role.LEAD_WORKER]
    client.force_login(user)
    url = reverse("people:detail", args=[scene.mine.public_id])
    assert client.get(url).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(url)
    assert response.status_code == 302 and b"Ashanti" not in response.content
    assert client.get(reverse("people-api:list")).status_code in (401, 403)


@pytest.mark.parametrize("role", PRACTITIONERS + [Role.TEAM_MANAGER, Role.DATA_PROTECTION_OFFICER,
                                                  Role.LICENSING_OFFICER])
def test_list_search_export_api_and_detail_give_the_same_people(client, scene, role):
    client.force_login(scene.users[role])
    shown = client.get(reverse("people:search")).context["found"].people
    listed = {p.public_id for p in shown}
    searched = {p.public_id for p in
                client.get(reverse("people:search"), {"q": "a"}).context["found"].people}
    # A search matches only the names the list shows (a hidden name is never confirmed).
    assert searched == {p.public_id for p in shown if "a" in p.display_name.lower()
                        and p.display_name != "(name not known)"}
    exported = {line.split(",")[0] for line in
                client.get(reverse("people:export")).content.decode().splitlines()[1:]}
    api = {r["reference"] for r in client.get(reverse("people-api:list")).json()["results"]}
    opened = {p.public_id for p in Person.objects.all()
              if client.get(reverse("people:detail", args=[p.public_id])).status_code == 200}
    assert listed == opened
    assert exported == api == {str(p) for p in opened}


def test_canary_never_reaches_logs_or_error_responses(client, scene, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    for role in Role.values:
        client.force_login(scene.users[role])
        client.get(reverse("people:detail", args=[scene.canary.public_id]))
        client.get(reverse("people:search"), {"page": "not-a-number"})
        client.get(reverse("people-api:list"), {"page": "-1"})
        client.post(reverse("access:break-glass"), {"person": "nonsense", "reason": ""})
    _break_audit(monkeypatch)
    client.force_login(scene.users[Role.DATA_PROTECTION_OFFICER])
    failed = client.get(reverse("people:detail", args=[scene.canary.public_id]))
    assert failed.status_code == 503
    for text in CANARY_TEXTS:
        assert text not in caplog.text
        assert text.encode() not in failed.content
    for entry in AuditEntry.objects.all():
        assert not any(t in str(entry.detail) + str(entry.object_ids) for t in CANARY_TEXTS)
