"""Break-glass: a reason, a time limit, a flag, an audit row and an alert for the reviewers."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.access import services
from saferoptions.access.models import BreakGlassGrant
from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Role
from tests.access.conftest import CANARY_FAMILY, CANARY_GIVEN

pytestmark = pytest.mark.django_db
REASON = "Child brought to ED at 2am with a stab wound; need known risks now"


def _ask(client, user, reference, reason=REASON):
    client.force_login(user)
    return client.post(reverse("access:break-glass"), {"person": str(reference), "reason": reason})


def test_a_reason_opens_the_record_flagged_and_audited(client, scene):
    user = scene.users[Role.POLICE_OFFICER]
    detail = reverse("people:detail", args=[scene.canary.public_id])
    client.force_login(user)
    assert client.get(detail).status_code == 404
    response = _ask(client, user, scene.canary.public_id)
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail)
    assert page.status_code == 200 and b"break-glass" in page.content
    grant = BreakGlassGrant.objects.get()
    assert (grant.user, grant.person, grant.reason) == (user, scene.canary, REASON)
    assert grant.expires_at - grant.granted_at == dt.timedelta(hours=24)
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", "purpose"))
    assert ("break_glass", "break_glass") in actions
    assert actions[-1] == ("view", "break_glass")


def test_the_answer_is_the_same_whether_or_not_the_record_exists(client, scene):
    user = scene.users[Role.POLICE_OFFICER]
    real = _ask(client, user, scene.canary.public_id)
    fake = _ask(client, user, scene.absent)
    assert real.status_code == fake.status_code == 302
    assert real.content == fake.content
    assert real["Location"].replace(str(scene.canary.public_id), "X") == \
        fake["Location"].replace(str(scene.absent), "X")


def test_access_ends_when_the_window_ends(client, scene, settings):
    settings.BREAK_GLASS_HOURS = 2
    user = scene.users[Role.POLICE_OFFICER]
    _ask(client, user, scene.canary.public_id)
    detail = reverse("people:detail", args=[scene.canary.public_id])
    with clock.frozen(clock.now() + dt.timedelta(hours=2, minutes=1)):
        assert client.get(detail).status_code == 404


@pytest.mark.parametrize("reason, field", [("", "reason"), ("too short", "reason")])
def test_no_reason_no_access(client, scene, reason, field):
    response = _ask(client, scene.users[Role.POLICE_OFFICER], scene.canary.public_id, reason)
    assert response.status_code == 400
    assert b"Why you need this record now" in response.content
    assert not BreakGlassGrant.objects.exists()


def test_a_malformed_reference_is_named_as_the_problem(client, scene):
    response = _ask(client, scene.users[Role.POLICE_OFFICER], "not-a-reference")
    assert response.status_code == 400
    assert b"Enter the record reference exactly as you were given it." in response.content


@pytest.mark.parametrize("role", [Role.LICENSING_OFFICER, Role.ANALYST, Role.COMMUNITY_MEMBER,
                                  Role.DATA_PROTECTION_OFFICER])
def test_roles_without_break_glass_cannot_use_it(client, scene, role):
    client.force_login(scene.users[role])
    assert client.get(reverse("access:break-glass")).status_code == 404
    _ask(client, scene.users[role], scene.canary.public_id)
    assert not BreakGlassGrant.objects.exists()


def test_the_grant_reaches_the_reviewer_and_the_lead_professional(client, scene):
    _ask(client, scene.users[Role.POLICE_OFFICER], scene.mine.public_id)
    grant = BreakGlassGrant.objects.get()
    dpo, lead = scene.users[Role.DATA_PROTECTION_OFFICER], scene.users[Role.LEAD_WORKER]
    for user in (dpo, lead):
        client.force_login(user)
        page = client.get(reverse("access:break-glass-queue"))
        assert REASON.encode() in page.content
    client.force_login(scene.users[Role.HOUSING_OFFICER])
    assert REASON.encode() not in client.get(reverse("access:break-glass-queue")).content
    assert client.post(reverse("access:break-glass-review", args=[grant.pk])).status_code == 404
    client.force_login(lead)
    assert client.post(reverse("access:break-glass-review", args=[grant.pk])).status_code == 404
    client.post(reverse("access:break-glass-acknowledge", args=[grant.pk]))
    client.force_login(dpo)
    client.post(reverse("access:break-glass-review", args=[grant.pk]), {"finding": "justified"})
    grant.refresh_from_db()
    assert grant.lead_acknowledged_by == lead and grant.reviewed_by == dpo


def test_access_log_shows_who_looked_and_why(client, scene):
    client.force_login(scene.users[Role.POLICE_OFFICER])
    client.get(reverse("people:detail", args=[scene.mine.public_id]))
    client.force_login(scene.users[Role.LEAD_WORKER])
    page = client.get(reverse("access:access-log", args=[scene.mine.public_id]))
    assert page.status_code == 200
    assert b"police_officer" in page.content
    # Why, in words: the lead worker reading it was shown the purpose's code, 'direct_work'.
    assert b"Direct work with the child" in page.content and b"direct_work" not in page.content


def test_each_reader_is_offered_only_the_button_they_may_press(client, scene):
    # The DPO was offered "Acknowledge" and the lead professional "Mark reviewed": each
    # button led to the common 404 (seen in the tour's screenshots).
    _ask(client, scene.users[Role.POLICE_OFFICER], scene.mine.public_id)
    grant = BreakGlassGrant.objects.get()
    review = reverse("access:break-glass-review", args=[grant.pk])
    acknowledge = reverse("access:break-glass-acknowledge", args=[grant.pk])
    dpo, lead = scene.users[Role.DATA_PROTECTION_OFFICER], scene.users[Role.LEAD_WORKER]
    client.force_login(dpo)
    page = client.get(reverse("access:break-glass-queue")).content.decode()
    assert review in page and acknowledge not in page
    assert "Waiting for the lead professional" in page
    client.force_login(lead)
    page = client.get(reverse("access:break-glass-queue")).content.decode()
    assert acknowledge in page and review not in page and "Waiting for a reviewer" in page


def test_the_reviewer_sees_who_the_record_was_as_the_policy_allows(client, scene):
    # The list showed a bare id: the DPO could not tell whose record was opened.
    _ask(client, scene.users[Role.POLICE_OFFICER], scene.mine.public_id)
    client.force_login(scene.users[Role.DATA_PROTECTION_OFFICER])
    page = client.get(reverse("access:break-glass-queue")).content.decode()
    assert "Ashanti Mbeki" in page
    assert reverse("people:detail", args=[scene.mine.public_id]) in page
    assert reverse("access:access-log", args=[scene.mine.public_id]) in page
    read = AuditEntry.objects.get(action="list", object_type="person")
    assert (read.purpose, read.object_ids) == ("audit", [str(scene.mine.pk)])


def test_a_team_manager_outside_the_childs_team_sees_no_name(client, scene):
    _ask(client, scene.users[Role.SOCIAL_WORKER], scene.canary.public_id)
    client.force_login(scene.users[Role.TEAM_MANAGER])
    page = client.get(reverse("access:break-glass-queue")).content.decode()
    assert REASON in page  # the grant reaches the worker's manager to review
    assert CANARY_FAMILY not in page and CANARY_GIVEN not in page
    assert f"A child whose record you may not open (reference {str(scene.canary.public_id)[:8]})" \
        in page
    assert reverse("people:detail", args=[scene.canary.public_id]) not in page
    assert not AuditEntry.objects.filter(action="list", object_type="person").exists()


def _grant(scene) -> BreakGlassGrant:
    now = clock.now()
    return BreakGlassGrant.objects.create(
        user=scene.users[Role.POLICE_OFFICER], person=scene.mine, reason=REASON,
        granted_at=now, expires_at=now + dt.timedelta(hours=1))


def _refusals(grant, step) -> int:
    rows = AuditEntry.objects.filter(object_type="break_glass_grant", outcome="denied")
    return sum(1 for r in rows if r.object_ids == [str(grant.pk)] and r.detail.get("step") == step)


@pytest.mark.parametrize("role", [Role.LEAD_WORKER, Role.HOUSING_OFFICER,
                                  Role.SYSTEM_ADMINISTRATOR, Role.POLICE_OFFICER])
def test_the_review_service_refuses_anyone_without_the_duty_and_audits_it(scene, role):
    # Only the views checked the duty: a script or a later API calling the service marked a
    # grant reviewed by anyone, the grant's own holder included.
    grant = _grant(scene)
    with pytest.raises(services.BreakGlassNotAllowed):
        services.review_break_glass(actor=scene.users[role], grant=grant, finding="justified")
    grant.refresh_from_db()
    assert grant.reviewed_by is None and grant.reviewed_at is None
    assert _refusals(grant, "reviewed") == 1


def test_the_grant_holder_cannot_review_their_own_grant_even_with_the_duty(scene):
    manager = scene.users[Role.TEAM_MANAGER]
    now = clock.now()
    grant = BreakGlassGrant.objects.create(user=manager, person=scene.mine, reason=REASON,
                                           granted_at=now, expires_at=now)
    with pytest.raises(services.BreakGlassNotAllowed):
        services.review_break_glass(actor=manager, grant=grant, finding="justified")
    assert _refusals(grant, "reviewed") == 1


@pytest.mark.parametrize("role", [Role.DATA_PROTECTION_OFFICER, Role.HOUSING_OFFICER,
                                  Role.POLICE_OFFICER])
def test_only_the_lead_professional_may_acknowledge_through_the_service(scene, role):
    grant = _grant(scene)
    with pytest.raises(services.BreakGlassNotAllowed):
        services.acknowledge_break_glass(actor=scene.users[role], grant=grant)
    grant.refresh_from_db()
    assert grant.lead_acknowledged_by is None
    assert _refusals(grant, "lead_acknowledged") == 1
    lead, dpo = scene.users[Role.LEAD_WORKER], scene.users[Role.DATA_PROTECTION_OFFICER]
    services.acknowledge_break_glass(actor=lead, grant=grant)
    services.review_break_glass(actor=dpo, grant=grant, finding="justified")
    grant.refresh_from_db()
    assert grant.lead_acknowledged_by == lead and grant.reviewed_by == dpo


def test_the_reviewer_records_a_judgement_and_a_finding_of_not_justified_is_told(
        client, scene, mailoutbox, django_capture_on_commit_callbacks):
    # "Mark reviewed" was one click that recorded nothing but a name: nobody could tell later
    # whether the access had been questioned (seen on the walk as the DPO).
    _ask(client, scene.users[Role.SOCIAL_WORKER], scene.canary.public_id)
    grant = BreakGlassGrant.objects.get()
    dpo, manager = scene.users[Role.DATA_PROTECTION_OFFICER], scene.users[Role.TEAM_MANAGER]
    review = reverse("access:break-glass-review", args=[grant.pk])
    client.force_login(dpo)
    form = client.get(review)
    assert form.status_code == 200 and REASON in form.content.decode()
    refused = client.post(review, {"finding": "not_justified", "note": "  "})
    assert refused.status_code == 400
    assert "Say why the access was not justified" in refused.content.decode()
    assert client.post(review, {"finding": "maybe"}).status_code == 400
    grant.refresh_from_db()
    assert grant.reviewed_at is None
    note = "No emergency: the child was known to be safe at home. Raised with the manager."
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(review, {"finding": "not_justified", "note": note}, follow=True)
    assert "Review recorded: not justified" in done.content.decode()
    assert note in done.content.decode()
    grant.refresh_from_db()
    assert (grant.reviewed_by, grant.review_finding, grant.review_note) == (
        dpo, "not_justified", note)
    (told,) = [m for m in mailoutbox if "not justified" in m.subject]
    assert told.to == [manager.email]  # the social worker's manager; the DPO reviewed it
    for text in (CANARY_GIVEN, CANARY_FAMILY, REASON, note):
        assert text not in told.body + told.subject
    steps = [e.detail.get("step") for e in AuditEntry.objects.filter(
        object_type="break_glass_grant")]
    assert "reviewed" in steps and "not_justified_alerted" in steps
    # Reviewed once: the form is gone, as for a grant that does not exist.
    assert client.get(review).status_code == 404
    assert client.post(review, {"finding": "justified"}).status_code == 404


def test_the_review_form_is_the_common_404_for_anyone_who_may_not_review(client, scene):
    _ask(client, scene.users[Role.POLICE_OFFICER], scene.mine.public_id)
    grant = BreakGlassGrant.objects.get()
    review = reverse("access:break-glass-review", args=[grant.pk])
    for role in (Role.POLICE_OFFICER, Role.LEAD_WORKER, Role.HOUSING_OFFICER):
        client.force_login(scene.users[role])
        assert client.get(review).status_code == 404
        assert client.get(reverse("access:break-glass-review", args=[grant.pk + 99])
                          ).status_code == 404
