"""Django admin: reference data only, for system administrators, every read and write audited."""

import pytest
from django.contrib import admin
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferoptions.audit.models import AuditEntry
from saferoptions.core.admin_site import ReferenceDataAdmin
from saferoptions.core.models import Agency, Locality, Role, Team, Ward
from saferoptions.feeds.models import feeds_for_agency
from saferoptions.tasks.models import TaskRule
from tests.access.factories import AgreementFactory
from tests.core.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return UserFactory(role=Role.SYSTEM_ADMINISTRATOR, is_staff=True)


@pytest.fixture
def admin_client(administrator):
    client = Client()
    client.force_login(administrator)
    return client


def test_every_registered_model_is_audited_reference_data():
    found = {m._meta.label: type(a) for m, a in admin.site._registry.items()}
    assert all(issubclass(kind, ReferenceDataAdmin) for kind in found.values()), found
    for gone in ["core.User", "auth.Group", "otp_totp.TOTPDevice", "django_q.Schedule",
                 "django_q.OrmQ", "django_q.Success", "django_q.Failure",
                 "access.InformationSharingAgreement", "governance.LegalHold",
                 "governance.DisposalTombstone"]:
        assert gone not in found


def test_no_admin_address_shows_a_secret_sets_a_password_or_a_role(admin_client,
                                                                      administrator):
    other = UserFactory(role=Role.SOCIAL_WORKER)
    device = TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    agreement = AgreementFactory()
    for url in [
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        "/admin/otp_totp/totpdevice/",
        f"/admin/core/user/{other.pk}/password/",
        f"/admin/core/user/{other.pk}/change/",
        f"/admin/core/user/{administrator.pk}/change/",
        "/admin/core/user/add/",
        "/admin/auth/group/add/",
        "/admin/django_q/schedule/add/",
        "/admin/django_q/ormq/",
        f"/admin/access/informationsharingagreement/{agreement.pk}/change/",
    ]:
        assert admin_client.get(url).status_code == 404, url
    secret = device.bin_key.hex()
    assert secret not in admin_client.get("/admin/").content.decode()


def test_a_post_to_a_removed_address_changes_nothing(admin_client, administrator):
    other = UserFactory(role=Role.SOCIAL_WORKER)
    response = admin_client.post(f"/admin/core/user/{other.pk}/change/",
                                 {"role": Role.DATA_PROTECTION_OFFICER, "is_superuser": "on"})
    assert response.status_code == 404
    response = admin_client.post("/admin/django_q/schedule/add/",
                                 {"func": "os.system", "args": "'id'", "schedule_type": "O"})
    assert response.status_code == 404
    other.refresh_from_db()
    administrator.refresh_from_db()
    assert other.role == Role.SOCIAL_WORKER and not administrator.is_superuser


def test_reads_and_writes_of_reference_data_are_audited(admin_client, administrator):
    locality = Locality.objects.first()
    assert admin_client.get("/admin/core/ward/").status_code == 200
    assert AuditEntry.objects.filter(actor=administrator, action="list",
                                     object_type="ward").exists()
    response = admin_client.post("/admin/core/ward/add/", {
        "name": "Test ward", "code": "E05999999", "locality": locality.pk,
        "latitude": "51.45", "longitude": "-2.58"})
    assert response.status_code == 302, response.content.decode()[:2000]
    ward = Ward.objects.get(code="E05999999")
    created = AuditEntry.objects.get(actor=administrator, action="create", object_type="ward")
    assert created.object_ids == [str(ward.pk)] and created.purpose == "configuration"
    admin_client.get(f"/admin/core/ward/{ward.pk}/change/")
    assert AuditEntry.objects.filter(action="view", object_ids=[str(ward.pk)]).exists()
    admin_client.post(f"/admin/core/ward/{ward.pk}/delete/", {"post": "yes"})
    assert not Ward.objects.filter(pk=ward.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_type="ward",
                                     object_ids=[str(ward.pk)]).exists()


def test_only_a_system_administrator_gets_in_and_no_superuser_flag_is_needed():
    staff_analyst = UserFactory(role=Role.ANALYST, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff_analyst)
    response = client.get("/admin/core/ward/", follow=True)
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="list", object_type="ward").exists()


def test_a_signed_in_user_without_the_admin_is_not_sent_round_in_circles(client):
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    assert client.get("/admin/login/?next=/admin/").status_code == 404


def test_the_view_on_site_redirect_is_gone(admin_client):
    assert admin_client.get("/admin/r/1/1/").status_code == 404


def test_the_admins_own_password_change_is_audited(admin_client, administrator):
    # Django admin's 'Change password' changed the administrator's password with no audit row:
    # every change to an account leaves one.
    new = "a-new-long-passphrase-for-the-admin"
    response = admin_client.post("/admin/password_change/", {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.check_password(new)
    row = AuditEntry.objects.get(object_type="password", action="update")
    assert row.actor == administrator and row.object_ids == [str(administrator.pk)]
    assert row.detail == {"via": "admin"}


def test_a_refused_password_change_in_the_admin_changes_and_audits_nothing(admin_client,
                                                                            administrator):
    response = admin_client.post("/admin/password_change/", {
        "old_password": "wrong", "new_password1": "x", "new_password2": "x"})
    assert response.status_code == 200
    administrator.refresh_from_db()
    assert administrator.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(object_type="password").exists()


def test_task_rules_are_shown_in_the_admin_never_changed(admin_client):
    # A rule's team gets the children its tasks are about: edited here, one administrator sent
    # every knife-injured child's rapid response (and record) to a team of their choosing.
    rule = TaskRule.objects.get(slug="ed-knife-rapid-response")
    page = admin_client.get(f"/admin/tasks/taskrule/{rule.pk}/change/")
    assert page.status_code == 200 and b'name="team_slug"' not in page.content
    response = admin_client.post(f"/admin/tasks/taskrule/{rule.pk}/change/", {
        **{f.name: getattr(rule, f.name) for f in TaskRule._meta.fields
           if f.editable and getattr(rule, f.name) is not None},
        "team_slug": "police-north", "event_types": "[]", "conditions": "{}"})
    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.team_slug == "barnardos-base-routes"
    assert admin_client.get("/admin/tasks/taskrule/add/").status_code == 403
    assert admin_client.post(f"/admin/tasks/taskrule/{rule.pk}/delete/",
                             {"post": "yes"}).status_code == 403


def test_a_teams_slug_cannot_be_renamed_in_the_admin(admin_client):
    # Rules name teams by slug ('hub', 'early-help-{locality}'): renaming a team to another's
    # slug moved that team's tasks, and the children with them.
    hub = Team.objects.get(slug="hub")
    other = Team.objects.exclude(pk=hub.pk).first()
    response = admin_client.post(f"/admin/core/team/{other.pk}/change/", {
        "name": other.name, "slug": "hub-renamed", "agency": other.agency_id,
        "locality": other.locality_id or ""})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.slug != "hub-renamed"
    page = admin_client.get(f"/admin/core/team/{other.pk}/change/")
    assert b'name="slug"' not in page.content
    new = admin_client.post("/admin/core/team/add/", {
        "name": "A new team", "slug": "a-new-team", "agency": other.agency_id, "locality": ""})
    assert new.status_code == 302 and Team.objects.filter(slug="a-new-team").exists()


def test_an_agencys_kind_cannot_be_changed_in_the_admin(admin_client):
    # The kind decides which feeds its partner systems may send: housing made 'police' could
    # send police incidents about children.
    housing = Agency.objects.get(slug="housing")
    response = admin_client.post(f"/admin/core/agency/{housing.pk}/change/", {
        "name": "Housing (renamed)", "slug": "housing", "kind": "police"})
    assert response.status_code == 302
    housing.refresh_from_db()
    assert housing.name == "Housing (renamed)" and housing.kind == "housing"
    assert feeds_for_agency(housing) == feeds_for_agency(Agency(kind="housing"))
