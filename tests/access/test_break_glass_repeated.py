"""Repeated break-glass: never refused (it is for emergencies), but a person's use beyond
BREAK_GLASS_REPEAT_LIMIT within BREAK_GLASS_REPEAT_HOURS is flagged in the review, audited,
and alerted at once to the data protection officer and the person's team managers."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.access import services
from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.models import Role
from tests.access.conftest import CANARY_FAMILY, CANARY_GIVEN
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
REASON = "Child brought to ED at 2am with a stab wound; need known risks now"


def _break_glass(user, person):
    return services.request_break_glass(actor=user, person_reference=str(person.public_id),
                                        reason=REASON)


def test_the_fourth_use_in_a_day_is_granted_flagged_audited_and_alerted(
        scene, mailoutbox, django_capture_on_commit_callbacks):
    worker = scene.users[Role.SOCIAL_WORKER]
    with django_capture_on_commit_callbacks(execute=True):
        grants = [_break_glass(worker, p) for p in PersonFactory.create_batch(3)]
    assert [g.repeated_use for g in grants] == [False] * 3 and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        fourth = _break_glass(worker, scene.canary)
    assert fourth is not None  # still granted: refusing could leave a child unprotected
    assert (fourth.recent_uses, fourth.repeated_use) == (4, True)
    alert = AuditEntry.objects.filter(detail__step="repeated_use_alerted").get()
    dpo, manager = scene.users[Role.DATA_PROTECTION_OFFICER], scene.users[Role.TEAM_MANAGER]
    assert alert.actor == worker and alert.object_ids == [str(fourth.pk)]
    assert set(alert.detail["alerted"]) == {dpo.pk, manager.pk}
    (mail,) = mailoutbox
    assert set(mail.to) == {dpo.email, manager.email}
    assert "4 times in the last 24 hours" in mail.body
    # The email leaves the service: it names the practitioner, never the child.
    for text in (CANARY_GIVEN, CANARY_FAMILY, str(scene.canary.public_id), REASON):
        assert text not in mail.body + mail.subject


def test_uses_spread_beyond_the_window_are_not_flagged(scene, mailoutbox):
    worker = scene.users[Role.SOCIAL_WORKER]
    start = clock.now()
    for hours, person in enumerate(PersonFactory.create_batch(4)):
        with clock.frozen(start + dt.timedelta(hours=hours * 8 + 1)):
            grant = _break_glass(worker, person)
    assert (grant.recent_uses, grant.repeated_use) == (3, False)
    assert not AuditEntry.objects.filter(detail__step="repeated_use_alerted").exists()


def test_the_limit_is_a_setting(scene, settings):
    settings.BREAK_GLASS_REPEAT_LIMIT = 1
    worker = scene.users[Role.POLICE_OFFICER]
    first, second = (_break_glass(worker, p) for p in PersonFactory.create_batch(2))
    assert (first.repeated_use, second.repeated_use) == (False, True)


def test_the_review_page_flags_repeated_use(client, scene):
    worker = scene.users[Role.SOCIAL_WORKER]
    for person in PersonFactory.create_batch(3):
        _break_glass(worker, person)
    client.force_login(scene.users[Role.DATA_PROTECTION_OFFICER])
    page = client.get(reverse("access:break-glass-queue")).content.decode()
    assert "govuk-tag--red" not in page
    _break_glass(worker, scene.canary)
    page = client.get(reverse("access:break-glass-queue")).content.decode()
    assert page.count('<strong class="govuk-tag govuk-tag--red">Repeated use</strong>') == 1
    assert "4 by this person in 24 hours" in page
