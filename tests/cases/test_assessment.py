"""The single assessment: one open per child, autosave, conflicts, lateness, approval."""

import datetime as dt
import html

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from saferoptions.cases import services
from saferoptions.cases.models import Assessment, AssessmentDraft, StatutoryClock
from saferoptions.core import clock

from .conftest import NOW, same_page, share_case_records

pytestmark = pytest.mark.django_db
REFERRAL = dt.date(2026, 3, 2)


def _start(w, who="social_worker"):
    return services.start_assessment(actor=w.users[who], person=w.child, referral_on=REFERRAL)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_starting_sets_the_45_working_day_clock(world):
    assessment = _start(world)
    assert assessment.due_on == dt.date(2026, 5, 7)
    clock_row = StatutoryClock.objects.get(key=f"assessment:{assessment.pk}")
    assert clock_row.owner == world.users["social_worker"]


def test_a_second_open_assessment_is_refused_with_a_link_to_the_first(client, world):
    first = _start(world)
    with pytest.raises(services.Refused) as refused:
        _start(world, "lead")
    assert refused.value.link == reverse("cases:assessment", args=[first.pk])
    client.force_login(world.users["lead"])
    response = client.post(reverse("cases:assessment-start", args=[world.child.public_id]),
                           {"referral_on": "2026-03-02"})
    assert response.status_code == 409
    assert reverse("cases:assessment", args=[first.pk]) in _text(response)
    assert Assessment.objects.filter(person=world.child).count() == 1


def test_the_database_refuses_a_second_open_assessment_too(world):
    first = _start(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(person=world.child, worker=world.users["lead"],
                                  referral_on=REFERRAL, due_on=first.due_on, started_at=NOW)


def test_a_new_assessment_may_start_once_the_last_is_approved(world):
    first = _start(world)
    Assessment.objects.filter(pk=first.pk).update(status="approved")
    assert _start(world).pk != first.pk


def test_a_bad_referral_date_is_a_clear_400(client, world):
    client.force_login(world.users["social_worker"])
    url = reverse("cases:assessment-start", args=[world.child.public_id])
    for value, message in [("not a date", "Referral date must be a real date"),
                           ("2026-03-09", "Referral date must be today or in the past"),
                           ("", "Enter the referral date")]:
        response = client.post(url, {"referral_on": value})
        assert response.status_code == 400
        assert message in _text(response)


def test_typing_is_kept_server_side_and_restored(client, world):
    assessment = _start(world)
    client.force_login(world.users["social_worker"])
    url = reverse("cases:autosave", args=[assessment.pk, "peers"])
    response = client.post(url, {"peers": "Spends evenings with two 19-year-olds",
                                 "version": "1"})
    assert response.status_code == 200 and "Draft saved" in _text(response)
    draft = AssessmentDraft.objects.get(assessment=assessment, section="peers")
    assert draft.text.startswith("Spends evenings")
    client.logout()  # a session timeout loses nothing
    client.force_login(world.users["social_worker"])
    page = client.get(reverse("cases:assessment", args=[assessment.pk]))
    assert "Spends evenings with two 19-year-olds" in _text(page)
    assert "has been restored" in _text(page)
    assert 'hx-trigger="keyup changed delay:1s"' in page.content.decode()


def test_autosave_refuses_an_unknown_section_and_strangers(client, world):
    assessment = _start(world)
    client.force_login(world.users["social_worker"])
    bad = client.post(reverse("cases:autosave", args=[assessment.pk, "secrets"]), {"x": "y"})
    assert bad.status_code == 400
    client.force_login(world.users["outsider"])
    stranger = client.post(reverse("cases:autosave", args=[assessment.pk, "peers"]),
                           {"peers": "overwrite", "version": "1"})
    assert stranger.status_code == 404
    assert not AssessmentDraft.objects.filter(user=world.users["outsider"]).exists()


def _form(assessment, **values):
    data = {"version": assessment.version, "extra_familial_weight": ""}
    data.update(values)
    return data


def test_a_save_from_a_stale_version_is_refused_showing_what_changed(client, world):
    assessment = _start(world)
    share_case_records(world)  # the lead worker is Barnardo's: social care shares with them
    url = reverse("cases:assessment", args=[assessment.pk])
    client.force_login(world.users["lead"])
    assert client.post(url, _form(assessment, peers="Older boys at the park")).status_code == 302
    client.force_login(world.users["social_worker"])
    stale = client.post(url, _form(assessment, peers="Nothing known", online="Snapchat"))
    assert stale.status_code == 409
    body = _text(stale)
    assert "Someone else saved this assessment" in body
    assert "saved by lead" in body and "peers" in body
    assert "Older boys at the park" in body  # what is saved now
    assert "Nothing known" in body  # their own text is still in the form
    assessment.refresh_from_db()
    assert assessment.peers == "Older boys at the park" and assessment.online == ""


def test_the_weighting_must_be_0_to_100(client, world):
    assessment = _start(world)
    client.force_login(world.users["social_worker"])
    url = reverse("cases:assessment", args=[assessment.pk])
    response = client.post(url, _form(assessment, extra_familial_weight="150"))
    assert response.status_code == 400
    assert "between 0 and 100" in _text(response)
    ok = client.post(url, _form(assessment, extra_familial_weight="80"))
    assert ok.status_code == 302
    assessment.refresh_from_db()
    assert assessment.extra_familial_weight == 80 and assessment.version == 2


def test_sending_with_only_the_recommendation_empty_points_at_the_recommendation(client, world):
    # The refusal always led to the Analysis, even when the analysis was written and only the
    # Recommendation was empty, so the worker was sent to a box with nothing wrong in it.
    assessment = _start(world)
    services.save_assessment(actor=world.users["social_worker"], assessment=assessment,
                             version=1, values={"analysis": "Harm is outside the home"})
    client.force_login(world.users["social_worker"])
    response = client.post(reverse("cases:assessment-submit", args=[assessment.pk]))
    assert response.status_code == 400
    body = _text(response)
    assert '<a href="#id_recommendation">Write the recommendation' in body
    assert 'href="#id_analysis"' not in body
    before = body.split('id="id_recommendation"')[0].rsplit("<textarea", 1)[1]
    assert "govuk-textarea--error" in before
    assessment.refresh_from_db()
    assert assessment.status == "in_progress"


def _ready(w):
    assessment = _start(w)
    return services.save_assessment(
        actor=w.users["social_worker"], assessment=assessment, version=1,
        values={"analysis": "Harm is mostly outside the home", "recommendation": "CSP"})


def test_sending_without_an_analysis_points_at_the_analysis_box(client, world):
    assessment = _start(world)
    services.save_assessment(actor=world.users["social_worker"], assessment=assessment,
                             version=1, values={"child_words": "I go to the park with Jay"})
    client.force_login(world.users["social_worker"])
    response = client.post(reverse("cases:assessment-submit", args=[assessment.pk]))
    assert response.status_code == 400
    body = _text(response)
    # The summary named the submit form's hidden late-reason box, which is not on the page
    # before the due date; it now leads to the analysis, shown with its error.
    assert '<a href="#id_analysis">Write the analysis and the recommendation' in body
    assert 'id="id_analysis"' in body and "#id_late_reason" not in body
    assert "govuk-textarea--error" in body.split('id="id_analysis"')[0].rsplit("<textarea", 1)[1]
    assert "I go to the park with Jay" in body
    assessment.refresh_from_db()
    assert assessment.status == "in_progress"


def test_late_completion_needs_a_reason(client, world):
    assessment = _ready(world)
    with clock.frozen(dt.datetime(2026, 5, 8, 9, tzinfo=dt.UTC)):
        with pytest.raises(services.Refused) as refused:
            services.submit_assessment(actor=world.users["social_worker"], assessment=assessment)
        assert refused.value.field == "late_reason"
        client.force_login(world.users["social_worker"])
        url = reverse("cases:assessment-submit", args=[assessment.pk])
        response = client.post(url, {"late_reason": ""})
        assert response.status_code == 400 and "say why it is late" in _text(response)
        submitted = services.submit_assessment(actor=world.users["social_worker"],
                                               assessment=assessment,
                                               late_reason="Child unavailable for 3 weeks")
    assert submitted.status == "submitted"


def test_approval_flow(world):
    assessment = _ready(world)
    worker, manager = world.users["social_worker"], world.users["manager"]
    with pytest.raises(services.Refused):
        services.submit_assessment(actor=worker, assessment=_blank(world))
    services.submit_assessment(actor=worker, assessment=assessment)
    with pytest.raises(services.Refused):  # not a manager
        services.decide_assessment(actor=world.users["lead"], assessment=assessment,
                                   approve=True)
    with pytest.raises(services.Refused) as refused:  # returning needs comments
        services.decide_assessment(actor=manager, assessment=assessment, approve=False)
    assert refused.value.field == "comments"
    returned = services.decide_assessment(actor=manager, assessment=assessment, approve=False,
                                          comments="Add the child's own words")
    assert returned.status == "returned"
    again = services.save_assessment(actor=worker, assessment=returned, version=returned.version,
                                     values={"child_words": "I feel safe at my nan's"})
    services.submit_assessment(actor=worker, assessment=again)
    approved = services.decide_assessment(actor=manager, assessment=again, approve=True)
    assert approved.status == "approved" and approved.approved_by == manager
    assert StatutoryClock.objects.get(key=f"assessment:{approved.pk}").state.label == "Met"


def _blank(w):
    return Assessment(person=w.child, worker=w.users["social_worker"], referral_on=REFERRAL,
                      due_on=dt.date(2026, 5, 7), started_at=NOW)


def test_a_manager_approves_through_the_page(client, world):
    assessment = _ready(world)
    services.submit_assessment(actor=world.users["social_worker"], assessment=assessment)
    client.force_login(world.users["manager"])  # same team: sees the child by team scope
    url = reverse("cases:assessment-decide", args=[assessment.pk])
    bad = client.post(url, {"decision": "return", "comments": ""})
    assert bad.status_code == 400 and "Say what needs to change" in _text(bad)
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "approved"


def test_forbidden_and_absent_assessments_look_the_same(client, world):
    assessment = _start(world)
    client.force_login(world.users["outsider"])
    forbidden = client.get(reverse("cases:assessment", args=[assessment.pk]))
    absent = client.get(reverse("cases:assessment", args=[assessment.pk + 1000]))
    assert forbidden.status_code == 404 and same_page(forbidden, absent)


def test_autosave_without_the_csrf_token_is_refused(world):
    assessment = _start(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["social_worker"])
    url = reverse("cases:autosave", args=[assessment.pk, "peers"])
    assert client.post(url, {"peers": "forged"}).status_code == 403
    assert not AssessmentDraft.objects.exists()


def test_autosave_refuses_a_nul_character_with_a_400_not_a_server_error(client, world):
    # PostgreSQL text cannot hold NUL: stored as typed, it was a 500 on every keystroke.
    assessment = _start(world)
    client.force_login(world.users["social_worker"])
    url = reverse("cases:autosave", args=[assessment.pk, "peers"])
    response = client.post(url, {"peers": "Pasted\x00text", "version": "1"})
    assert response.status_code == 400
    assert "NUL" in _text(response)
    assert not AssessmentDraft.objects.exists()


def test_a_draft_typed_over_an_older_version_cannot_overwrite_a_newer_save(client, world):
    assessment = _start(world)
    client.force_login(world.users["social_worker"])
    client.post(reverse("cases:autosave", args=[assessment.pk, "school"]),
                {"school": "Excluded twice this term", "version": "1"})
    services.save_assessment(actor=world.users["lead"], assessment=assessment, version=1,
                             values={"school": "Attending well since January"})
    page = client.get(reverse("cases:assessment", args=[assessment.pk]))
    assert 'name="version" value="1"' in page.content.decode()  # the draft's own version
    stale = client.post(reverse("cases:assessment", args=[assessment.pk]),
                        _form(assessment, school="Excluded twice this term"))
    assert stale.status_code == 409
    assessment.refresh_from_db()
    assert assessment.school == "Attending well since January"
