"""A referral or a planned intervention on a context case is put right with a reason, or the
referral withdrawn: the earlier words stay on the case, audited, and nothing is deleted."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.contexts import services
from saferoptions.contexts.models import CaseStatus, ContextCase, ContextCorrection
from saferoptions.core.models import Role

from .factories import ContextCorrectionFactory

pytestmark = pytest.mark.django_db


def _open(world):
    return services.refer(actor=world.users[Role.HUB_PRACTITIONER], kind="place",
                          place=world.place, reason="Children gather here after school",
                          seen_on=dt.date(2026, 8, 20))


def _hub(client, world):
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    return client


def test_a_corrected_referral_keeps_its_earlier_words_audited_and_shown(client, world):
    case = _open(world)
    hub = _hub(client, world)
    form = hub.get(reverse("contexts:correct-referral", args=[case.pk]))
    assert form.status_code == 200 and "Children gather here after school" in form.content.decode()
    response = hub.post(reverse("contexts:correct-referral", args=[case.pk]), {
        "version": 1, "referral_reason": "Children gather here after school, with older men",
        "seen_on_day": "21", "seen_on_month": "8", "seen_on_year": "2026",
        "correction_reason": "The men were left out"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.referral_reason == "Children gather here after school, with older men"
    assert case.seen_on == dt.date(2026, 8, 21) and case.version == 2
    correction = ContextCorrection.objects.get(case=case)
    assert correction.reason == "The men were left out"
    assert correction.corrected_by == world.users[Role.HUB_PRACTITIONER]
    assert correction.changes[0]["old"] == "Children gather here after school"
    entry = AuditEntry.objects.get(action="correct_context_record")
    assert entry.object_ids == [str(case.pk)] and entry.detail["correction"] == correction.pk
    page = hub.get(reverse("contexts:case", args=[case.pk])).content.decode()
    assert "The men were left out" in page and "20 August 2026 → 21 August 2026" in page


def test_a_correction_without_a_reason_comes_back_naming_the_field(client, world):
    case = _open(world)
    response = _hub(client, world).post(reverse("contexts:correct-referral", args=[case.pk]), {
        "version": 1, "referral_reason": "Something else", "correction_reason": "  "})
    assert response.status_code == 400
    assert "Enter why the referral is corrected" in response.content.decode()
    case.refresh_from_db()
    assert case.referral_reason == "Children gather here after school"
    assert not ContextCorrection.objects.exists()


def test_a_withdrawn_referral_stays_on_file_shown_as_withdrawn(client, world):
    case = _open(world)
    hub = _hub(client, world)
    refused = hub.post(reverse("contexts:withdraw-referral", args=[case.pk]),
                       {"version": 1, "reason": ""})
    assert refused.status_code == 400
    assert "Enter why the referral is withdrawn" in refused.content.decode()
    assert "withdrawn: Enter" not in refused.content.decode()  # the message names the box
    response = hub.post(reverse("contexts:withdraw-referral", args=[case.pk]),
                        {"version": 1, "reason": "It was about the park next door"})
    assert response.status_code == 302
    case = ContextCase.objects.get(pk=case.pk)  # still there: withdrawn, never deleted
    assert case.status == CaseStatus.CLOSED and case.withdrawn_at
    assert case.withdrawn_by == world.users[Role.HUB_PRACTITIONER]
    assert AuditEntry.objects.filter(action="withdraw_context_referral",
                                     object_ids=[str(case.pk)]).exists()
    page = hub.get(reverse("contexts:case", args=[case.pk])).content.decode()
    assert "Referral withdrawn" in page and "It was about the park next door" in page
    # Withdrawn is final: no second withdrawal or correction.
    assert hub.get(reverse("contexts:withdraw-referral", args=[case.pk])).status_code == 404


def test_a_corrected_intervention_keeps_its_earlier_words(client, world):
    hub_user = world.users[Role.HUB_PRACTITIONER]
    case = _open(world)
    action = services.plan_intervention(
        actor=hub_user, case_id=case.pk, version=1, kind="late_night_outreach",
        description="Outreach Friday nights", owner=hub_user, due_on=dt.date(2026, 10, 1))
    hub = _hub(client, world)
    url = reverse("contexts:correct-intervention", args=[case.pk])
    assert hub.get(f"{url}?intervention={action.pk}").status_code == 200
    assert hub.get(f"{url}?intervention={action.pk + 99}").status_code == 404
    response = hub.post(url, {
        "version": 2, "intervention": action.pk, "description": "Outreach Saturday nights",
        "owner": hub_user.pk, "due_on_day": "8", "due_on_month": "10", "due_on_year": "2026",
        "correction_reason": "Fridays were a typing slip"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.description == "Outreach Saturday nights"
    assert action.due_on == dt.date(2026, 10, 8)
    correction = ContextCorrection.objects.get(record="intervention", record_id=action.pk)
    assert [c["what"] for c in correction.changes] == ["What will be done", "Due by"]
    page = hub.get(reverse("contexts:case", args=[case.pk])).content.decode()
    assert "Outreach Friday nights → Outreach Saturday nights" in page
    assert "Fridays were a typing slip" in page
    assert "by end of Thu 8 Oct" in page  # the plan's due dates read as every deadline does


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.POLICE_OFFICER, Role.ANALYST])
def test_people_who_may_not_manage_the_case_meet_the_404(client, world, role):
    case = _open(world)
    client.force_login(world.users[role])
    for name in ("contexts:correct-referral", "contexts:withdraw-referral"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 404
    assert client.post(reverse("contexts:withdraw-referral", args=[case.pk]),
                       {"version": 1, "reason": "Not mine"}).status_code == 404
    case.refresh_from_db()
    assert case.withdrawn_at is None and case.is_open


def test_the_correction_factory_makes_a_row():
    assert ContextCorrectionFactory().shown[0]["what"] == "What was seen or heard"


def test_a_corrected_review_and_assessment_keep_their_earlier_words(client, world):
    hub_user = world.users[Role.HUB_PRACTITIONER]
    case = _open(world)
    assessment = services.assess(actor=hub_user, case_id=case.pk, version=1,
                                 summary="Poor lighting", answers={"guardianship": "None"})
    review = services.review(actor=hub_user, case_id=case.pk, version=2, summary="Quieter",
                             next_review_on=dt.date(2026, 12, 1))
    hub = _hub(client, world)
    url = reverse("contexts:correct-review", args=[case.pk])
    assert hub.get(f"{url}?review={review.pk}").status_code == 200
    refused = hub.post(url, {"version": 3, "review": review.pk, "summary": "Quieter",
                             "correction_reason": ""})
    assert refused.status_code == 400
    assert "Enter why the review is corrected" in refused.content.decode()
    assert hub.post(url, {"version": 3, "review": review.pk, "summary": "Quieter on Fridays",
                          "next_review_on_day": "1", "next_review_on_month": "12",
                          "next_review_on_year": "2026",
                          "correction_reason": "Only Fridays were quieter"}).status_code == 302
    url = reverse("contexts:correct-assessment", args=[case.pk])
    form = hub.get(f"{url}?assessment={assessment.pk}")
    assert form.status_code == 200 and "Poor lighting" in form.content.decode()
    assert hub.post(url, {"version": 4, "assessment": assessment.pk, "summary": "Poor lighting",
                          "prompt_guardianship": "No one on site after 6pm",
                          "correction_reason": "Staff leave at 6pm"}).status_code == 302
    review.refresh_from_db()
    assessment.refresh_from_db()
    assert review.summary == "Quieter on Fridays"
    assert assessment.answers == {"guardianship": "No one on site after 6pm"}
    assert ContextCorrection.objects.filter(case=case).count() == 2
    assert AuditEntry.objects.filter(action="correct_context_record").count() == 2
    page = hub.get(reverse("contexts:case", args=[case.pk])).content.decode()
    assert "Quieter → Quieter on Fridays" in page and "Staff leave at 6pm" in page
    assert "None → No one on site after 6pm" in page
