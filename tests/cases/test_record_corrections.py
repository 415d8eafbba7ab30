"""Every recorded item on the child's pathway can be corrected or withdrawn with a reason.

Meetings, NRM referrals, plan actions and reviews, the return home interview on its clock, and
a submitted assessment: a correction keeps what it said before (history, with the reason), a
withdrawal keeps the row marked and takes it out of clocks and counts; a blank reason is
refused on its field; someone who may not work with the child gets the common 404.
"""

import datetime as dt
import html

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.cases import services
from saferoptions.cases.models import (
    Assessment,
    CaseMeeting,
    NrmReferral,
    PlanAction,
    PlanReview,
    Revision,
    StatutoryClock,
)
from saferoptions.cases.selectors.work import my_work
from saferoptions.cases.services import clock_corrections, plan_corrections
from saferoptions.cases.services.clock_corrections import NOT_NEEDED
from saferoptions.core import clock
from saferoptions.dashboards.filters import Filters
from saferoptions.dashboards.selectors import nrm_referrals
from tests.cases.factories import ClockFactory

from .conftest import NOW, same_page, share_case_records

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _correct(kind, pk):
    return reverse("cases:record-correct", args=[kind, pk])


def _withdraw(kind, pk):
    return reverse("cases:record-withdraw", args=[kind, pk])


def _audited(action, object_type, pk) -> bool:
    rows = AuditEntry.objects.filter(action=action, object_type=object_type)
    return any(str(pk) in map(str, e.object_ids) for e in rows)


def _strategy_then_meeting(w):
    """A strategy discussion clock (from a Hub decision), met by a recorded discussion that
    starts the initial conference clock."""
    ClockFactory(kind="strategy_discussion", key="strategy:concern:1", person=w.child,
                 started_at=NOW - dt.timedelta(days=2), due_at=NOW + dt.timedelta(days=1))
    return services.record_meeting(actor=w.users["social_worker"], person=w.child,
                                   kind="strategy_discussion", held_on=dt.date(2026, 2, 27),
                                   discussion="Threshold met")


def test_a_meeting_corrected_keeps_its_history_and_moves_its_clocks(client, world):
    meeting = _strategy_then_meeting(world)
    client.force_login(world.users["social_worker"])
    page = _text(client.get(reverse("cases:child", args=[world.child.public_id])))
    assert _correct("meeting", meeting.pk) in page and _withdraw("meeting", meeting.pk) in page
    response = client.post(_correct("meeting", meeting.pk), {
        "kind": "strategy_discussion", "held_on": "2026-02-26", "discussion": "Threshold met",
        "reason": "The discussion was on Thursday, not Friday"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2026, 2, 26)
    revision = Revision.objects.get(object_type="case_meeting", object_id=meeting.pk)
    assert revision.reason == "The discussion was on Thursday, not Friday"
    assert revision.changed == {"held_on": ["27 Feb 2026", "26 Feb 2026"]}
    assert _audited("correct", "case_meeting", meeting.pk)
    met = StatutoryClock.objects.get(key="strategy:concern:1")
    assert clock.local(met.met_at).date() == dt.date(2026, 2, 26)  # met on the corrected day
    history = _text(client.get(_correct("meeting", meeting.pk)))
    assert "The discussion was on Thursday, not Friday" in history
    assert "27 Feb 2026" in history and "26 Feb 2026" in history


def test_a_meeting_corrected_to_another_kind_ends_the_clocks_it_no_longer_starts(world):
    meeting = _strategy_then_meeting(world)
    clock_corrections.correct_meeting(
        actor=world.users["social_worker"], meeting=meeting, kind="core_group",
        held_on=meeting.held_on, discussion="Core group", reason="Wrong kind chosen")
    conference = StatutoryClock.objects.get(key=f"initial_conference:meeting:{meeting.pk}")
    assert conference.met_at is not None and conference.late_reason.startswith(NOT_NEEDED)
    strategy = StatutoryClock.objects.get(key="strategy:concern:1")
    assert strategy.met_at is None and strategy.reopened_at is not None


def test_a_withdrawn_meeting_stays_marked_and_gives_back_its_clocks(client, world):
    meeting = _strategy_then_meeting(world)
    worker = world.users["social_worker"]
    assert any(c.kind == "initial_conference" for c in my_work(user=worker).clocks)
    client.force_login(worker)
    response = client.post(_withdraw("meeting", meeting.pk),
                           {"reason": "Recorded on the wrong child"})
    assert response.status_code == 302
    meeting = CaseMeeting.objects.get(pk=meeting.pk)  # the row stays
    assert meeting.is_withdrawn and meeting.withdrawn_by == worker
    assert meeting.withdrawn_reason == "Recorded on the wrong child"
    assert _audited("withdraw", "case_meeting", meeting.pk)
    started = StatutoryClock.objects.get(key=f"initial_conference:meeting:{meeting.pk}")
    assert started.met_at is not None and started.late_reason.startswith(NOT_NEEDED)
    assert not any(c.kind == "initial_conference" for c in my_work(user=worker).clocks)
    strategy = StatutoryClock.objects.get(key="strategy:concern:1")
    assert strategy.met_at is None and "wrong child" in strategy.reopened_reason
    page = _text(client.get(reverse("cases:child", args=[world.child.public_id])))
    assert "Withdrawn" in page and "Recorded on the wrong child" in page
    assert "Ended: not needed" in page and "Reopened" in page
    chronology = _text(client.get(reverse("cases:chronology", args=[world.child.public_id])))
    assert "Recorded on the wrong child" in chronology
    client.force_login(world.users["manager"])  # the clocks list says it ran again
    overdue = _text(client.get(reverse("cases:overdue")))
    assert "Strategy discussion" in overdue and "Reopened 2 Mar 2026" in overdue
    assert '<h2 class="govuk-heading-m">1 clock</h2>' in overdue  # not the ended conference
    client.force_login(worker)
    again = client.post(_correct("meeting", meeting.pk), {
        "kind": "core_group", "held_on": "2026-02-27", "discussion": "x", "reason": "late"})
    assert again.status_code == 400 and "can no longer be corrected" in _text(again)


@pytest.mark.parametrize("kind", ["meeting", "nrm"])
def test_a_blank_reason_is_refused_on_its_field_and_the_form_comes_back(client, world, kind):
    meeting = _strategy_then_meeting(world)
    referral = services.record_nrm_referral(actor=world.users["social_worker"],
                                            person=world.child, referred_on=dt.date(2026, 3, 2))
    pk = meeting.pk if kind == "meeting" else referral.pk
    client.force_login(world.users["social_worker"])
    response = client.post(_withdraw(kind, pk), {"reason": "   "})
    assert response.status_code == 400
    body = _text(response)
    assert 'id="id_reason-error"' in body and "Enter why you are withdrawing it." in body
    assert '<form method="post"' in body
    assert not CaseMeeting.objects.get(pk=meeting.pk).is_withdrawn
    assert not NrmReferral.objects.get(pk=referral.pk).is_withdrawn


def test_someone_who_may_not_work_with_the_child_gets_the_common_404(client, world):
    meeting = _strategy_then_meeting(world)
    referral = services.record_nrm_referral(actor=world.users["social_worker"],
                                            person=world.child, referred_on=dt.date(2026, 3, 2))
    client.force_login(world.users["outsider"])
    for url in (_correct("meeting", meeting.pk), _withdraw("meeting", meeting.pk),
                _correct("nrm", referral.pk), _withdraw("nrm", referral.pk),
                _correct("meeting", 999999), _correct("nothing", meeting.pk)):
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "mine now"}).status_code == 404
    assert not CaseMeeting.objects.get(pk=meeting.pk).is_withdrawn


def test_a_malformed_date_is_an_error_on_its_field_not_a_server_error(client, world):
    meeting = _strategy_then_meeting(world)
    client.force_login(world.users["social_worker"])
    response = client.post(_correct("meeting", meeting.pk), {
        "kind": "strategy_discussion", "held_on_day": "31", "held_on_month": "2",
        "held_on_year": "2026", "discussion": "x", "reason": "typo"})
    assert response.status_code == 400
    assert "Date of the meeting must be a real date" in _text(response)
    future = client.post(_correct("meeting", meeting.pk), {
        "kind": "strategy_discussion", "held_on": "2027-01-01", "discussion": "x",
        "reason": "typo"})
    assert future.status_code == 400


def test_an_nrm_referral_corrected_and_then_withdrawn(client, world):
    worker = world.users["social_worker"]
    referral = services.record_nrm_referral(actor=worker, person=world.child,
                                            referred_on=dt.date(2026, 3, 2))
    client.force_login(worker)
    response = client.post(_correct("nrm", referral.pk), {
        "referred_on": "2026-02-23", "reasonable_grounds": "positive",
        "reasonable_grounds_on": "2026-02-27", "conclusive_grounds": "",
        "conclusive_grounds_on": "", "reason": "Entered on the day it was typed up"})
    assert response.status_code == 302, _text(response)
    referral.refresh_from_db()
    assert referral.referred_on == dt.date(2026, 2, 23)
    assert referral.reasonable_grounds == "positive"
    rg = StatutoryClock.objects.get(key=f"nrm-rg:{referral.pk}")
    assert rg.met_at is not None and clock.local(rg.started_at).date() == dt.date(2026, 2, 23)
    cg = StatutoryClock.objects.get(key=f"nrm-cg:{referral.pk}")
    assert cg.met_at is None  # a positive decision starts the conclusive grounds clock
    assert _audited("correct", "nrm_referral", referral.pk)
    mismatch = client.post(_correct("nrm", referral.pk), {
        "referred_on": "2026-02-23", "reasonable_grounds": "negative",
        "reasonable_grounds_on": "", "conclusive_grounds": "", "conclusive_grounds_on": "",
        "reason": "x"})
    assert mismatch.status_code == 400 and "Give the decision date" in _text(mismatch)
    assert client.post(_withdraw("nrm", referral.pk),
                       {"reason": "Duplicate of the police referral"}).status_code == 302
    referral.refresh_from_db()
    assert referral.is_withdrawn
    cg.refresh_from_db()
    assert cg.met_at is not None and cg.late_reason.startswith(NOT_NEEDED)
    page = _text(client.get(reverse("cases:child", args=[world.child.public_id])))
    assert "Duplicate of the police referral" in page
    assert reverse("cases:nrm-decision", args=[referral.pk]) not in page


def _plan_with_action_and_review(w):
    worker = w.users["social_worker"]
    plan = services.create_plan(actor=worker, person=w.child, kind="contextual_safety",
                                outcomes="Safe at the park", review_on=dt.date(2026, 4, 1))
    action = services.add_plan_action(actor=worker, plan=plan, description="Detached work",
                                      owner=worker, due_on=dt.date(2026, 3, 20))
    review = services.record_plan_review(actor=worker, plan=plan, held_on=dt.date(2026, 3, 2),
                                         summary="Going well",
                                         next_review_on=dt.date(2026, 5, 1))
    return plan, action, review


def test_a_plan_action_corrected_then_withdrawn_leaves_my_work(client, world):
    plan, action, _ = _plan_with_action_and_review(world)
    worker = world.users["social_worker"]
    client.force_login(worker)
    page = _text(client.get(reverse("cases:plan", args=[plan.pk])))
    assert _correct("action", action.pk) in page
    response = client.post(_correct("action", action.pk), {
        "description": "Detached youth work at the park", "owner": world.users["lead"].pk,
        "due_on": "2026-03-27", "reason": "Barnardo's agreed to lead it"})
    assert response.status_code == 302, _text(response)
    action.refresh_from_db()
    assert action.owner == world.users["lead"] and action.due_on == dt.date(2026, 3, 27)
    revision = Revision.objects.get(object_type="plan_action", object_id=action.pk)
    assert set(revision.changed) == {"description", "owner", "due_on"}
    assert "Barnardo's agreed to lead it" in _text(client.get(_correct("action", action.pk)))
    bad = client.post(_correct("action", action.pk), {
        "description": "x", "owner": world.users["lead"].pk, "due_on": "soon", "reason": "x"})
    assert bad.status_code == 400 and "Due date must be a real date" in _text(bad)
    assert action in my_work(user=world.users["lead"]).actions
    assert client.post(_withdraw("action", action.pk),
                       {"reason": "Added to the wrong plan"}).status_code == 302
    action = PlanAction.objects.get(pk=action.pk)
    assert action.is_withdrawn and action not in my_work(user=world.users["lead"]).actions
    with pytest.raises(services.Refused):
        services.update_action_status(actor=worker, action=action, status="done")
    page = _text(client.get(reverse("cases:plan", args=[plan.pk])))
    assert "Withdrawn" in page and "Added to the wrong plan" in page


def test_a_plan_review_corrected_moves_the_review_date_and_can_be_withdrawn(client, world):
    plan, _, review = _plan_with_action_and_review(world)
    client.force_login(world.users["social_worker"])
    response = client.post(_correct("review", review.pk), {
        "held_on": "2026-03-02", "summary": "Going well", "next_review_on": "2026-06-01",
        "reason": "The panel set three months"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.review_on == dt.date(2026, 6, 1)
    assert Revision.objects.get(object_type="plan_review", object_id=review.pk).reason
    blank = client.post(_withdraw("review", review.pk), {"reason": ""})
    assert blank.status_code == 400 and "Enter why you are withdrawing it." in _text(blank)
    assert client.post(_withdraw("review", review.pk),
                       {"reason": "Recorded twice"}).status_code == 302
    assert PlanReview.objects.get(pk=review.pk).is_withdrawn
    client.force_login(world.users["outsider"])
    assert client.get(_correct("review", review.pk)).status_code == 404


def test_a_return_home_interview_corrected_or_its_clock_reopened(client, world):
    due = NOW + dt.timedelta(hours=10)
    row = ClockFactory(person=world.child, started_at=NOW - dt.timedelta(hours=62), due_at=due)
    worker = world.users["social_worker"]
    services.record_return_home_interview(actor=worker, clock_row=row,
                                          held_at=NOW - dt.timedelta(hours=1))
    client.force_login(worker)
    page = _text(client.get(reverse("cases:child", args=[world.child.public_id])))
    assert reverse("cases:interview-reopen", args=[row.pk]) in page
    response = client.post(_correct("interview", row.pk), {
        "held_at_day": "2", "held_at_month": "3", "held_at_year": "2026", "held_at_hour": "8",
        "held_at_minute": "30", "late_reason": "", "reason": "The time was typed wrongly"})
    assert response.status_code == 302, _text(response)
    row.refresh_from_db()
    assert clock.local(row.met_at).hour == 8
    assert Revision.objects.get(object_type="statutory_clock", object_id=row.pk).reason
    assert client.post(_withdraw("interview", row.pk), {"reason": "x"}).status_code == 404
    reopen = reverse("cases:interview-reopen", args=[row.pk])
    assert client.post(reopen, {"reason": ""}).status_code == 400
    assert client.post(reopen, {"reason": "Recorded on the wrong child"}).status_code == 302
    row.refresh_from_db()
    assert row.met_at is None and row.reopened_reason == "Recorded on the wrong child"
    assert any(c.pk == row.pk for c in my_work(user=worker).clocks) or row.owner is None
    assert _audited("correct", "statutory_clock", row.pk)
    client.force_login(world.users["outsider"])
    assert client.post(reopen, {"reason": "x"}).status_code == 404


def test_a_submitted_assessment_is_amended_with_a_reason_shown_in_its_history(client, world):
    worker = world.users["social_worker"]
    assessment = services.start_assessment(actor=worker, person=world.child,
                                           referral_on=dt.date(2026, 3, 2))
    assessment = services.save_assessment(actor=worker, assessment=assessment, version=1,
                                          values={"analysis": "At risk", "recommendation":
                                                  "Plan"})
    services.submit_assessment(actor=worker, assessment=assessment)
    client.force_login(worker)
    url = reverse("cases:assessment-amend", args=[assessment.pk])
    assert url in _text(client.get(reverse("cases:assessment", args=[assessment.pk])))
    form = {"version": 2, "analysis": "At risk outside the home", "recommendation": "Plan"}
    blank = client.post(url, {**form, "reason": " "})
    assert blank.status_code == 400 and "Enter why you are amending the assessment." in \
        _text(blank)
    response = client.post(url, {**form, "reason": "The school's report came in"})
    assert response.status_code == 302
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert assessment.analysis == "At risk outside the home"
    assert assessment.status == "submitted" and assessment.version == 3
    revision = Revision.objects.get(object_type="assessment", object_id=assessment.pk,
                                    version=3)
    assert revision.reason == "The school's report came in"
    assert revision.changed == {"analysis": ["At risk", "At risk outside the home"]}
    page = _text(client.get(reverse("cases:assessment", args=[assessment.pk])))
    assert "The school's report came in" in page and "At risk outside the home" in page
    stale = client.post(url, {**form, "analysis": "Other", "reason": "mine"})
    assert stale.status_code == 409
    client.force_login(world.users["outsider"])
    assert client.get(url).status_code == 404


def test_an_assessment_still_being_written_is_saved_not_amended(world):
    worker = world.users["social_worker"]
    assessment = services.start_assessment(actor=worker, person=world.child,
                                           referral_on=dt.date(2026, 3, 2))
    with pytest.raises(services.Refused) as refused:
        plan_corrections.amend_assessment(
            actor=worker, assessment=assessment, version=1, values={"analysis": "x"},
            reason="why")
    assert refused.value.field == "reason"


def test_a_withdrawn_nrm_referral_is_not_counted_in_the_figures(world):
    worker = world.users["social_worker"]
    kept, mistaken = (services.record_nrm_referral(actor=worker, person=world.child,
                                                   referred_on=dt.date(2026, 2, day))
                      for day in (20, 23))
    clock_corrections.withdraw_nrm_referral(actor=worker, referral=mistaken,
                                            reason="Recorded twice")
    period = Filters(period="custom", weeks=[], start=NOW - dt.timedelta(days=30), end=NOW)
    assert nrm_referrals(period)["id"].to_list() == [kept.pk]


def test_malformed_dates_on_the_referral_and_interview_forms_name_their_field(client, world):
    worker = world.users["social_worker"]
    referral = services.record_nrm_referral(actor=worker, person=world.child,
                                            referred_on=dt.date(2026, 3, 2))
    row = ClockFactory(person=world.child, due_at=NOW + dt.timedelta(hours=10))
    services.record_return_home_interview(actor=worker, clock_row=row, held_at=NOW)
    client.force_login(worker)
    nrm = client.post(_correct("nrm", referral.pk), {
        "referred_on_day": "x", "referred_on_month": "13", "referred_on_year": "2026",
        "reasonable_grounds": "maybe", "reason": "typo"})
    assert nrm.status_code == 400
    body = _text(nrm)
    assert "Referral date must be a real date" in body
    assert "Choose a reasonable grounds decision from the list." in body
    interview = client.post(_correct("interview", row.pk), {
        "held_at_day": "2", "held_at_month": "3", "held_at_year": "2026", "held_at_hour": "25",
        "held_at_minute": "00", "reason": "typo"})
    assert interview.status_code == 400
    assert "When the interview was offered or held" in _text(interview)
    assert NrmReferral.objects.get(pk=referral.pk).referred_on == dt.date(2026, 3, 2)


def test_forbidden_looks_the_same_as_absent(client, world):
    meeting = _strategy_then_meeting(world)
    client.force_login(world.users["outsider"])
    forbidden = client.get(_correct("meeting", meeting.pk))
    absent = client.get(_correct("meeting", meeting.pk + 1000))
    assert same_page(forbidden, absent, meeting.pk, meeting.pk + 1000)


def test_a_team_member_may_correct_what_a_colleague_recorded_as_far_as_the_policy_allows(
        client, world):
    meeting = _strategy_then_meeting(world)
    referral = services.record_nrm_referral(actor=world.users["social_worker"],
                                            person=world.child, referred_on=dt.date(2026, 3, 2))
    client.force_login(world.users["lead"])  # Barnardo's, in the team around the child
    response = client.post(_correct("meeting", meeting.pk), {
        "kind": "strategy_discussion", "held_on": "2026-02-27",
        "discussion": "Threshold met; Barnardo's to do direct work", "reason": "Left out"})
    assert response.status_code == 302
    assert Revision.objects.get(object_type="case_meeting").saved_by == world.users["lead"]
    # Social care's NRM referral is a case record no agreement shares with Barnardo's yet.
    assert client.get(_correct("nrm", referral.pk)).status_code == 404
    share_case_records(world)
    assert client.get(_correct("nrm", referral.pk)).status_code == 200
