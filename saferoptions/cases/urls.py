from django.urls import path

from .views import assessments, child, clocks, corrections, plans, triage, work

app_name = "cases"
urlpatterns = [
    path("refer/", triage.refer, name="refer"),
    path("notifications/", triage.notifications, name="notifications"),
    path("triage/", triage.triage_queue, name="triage"),
    path("triage/new/", triage.triage_new, name="triage-new"),
    path("concerns/<int:pk>/", triage.triage_concern, name="concern"),
    path("concerns/<int:pk>/match/", triage.match, name="match"),
    path("concerns/<int:pk>/correct/", triage.correct, name="concern-correct"),
    path("concerns/<int:pk>/withdraw/", triage.withdraw, name="concern-withdraw"),
    # The referrer's way: by the reference they were told, never the Hub's number.
    path("concerns/<str:reference>/withdraw/", triage.withdraw_mine,
         name="my-concern-withdraw"),
    path("my-work/", work.my_work_page, name="my-work"),
    path("overdue/", clocks.clocks_page, name="overdue"),
    path("team/", work.team_page, name="team"),
    path("team/children/<uuid:public_id>/allocate/", work.allocate, name="allocate"),
    path("children/<uuid:public_id>/", child.child_case, name="child"),
    path("children/<uuid:public_id>/concerns/new/", triage.raise_for_child, name="raise"),
    path("children/<uuid:public_id>/team/", child.team_add, name="team-add"),
    path("children/<uuid:public_id>/team/<int:member>/end/", child.team_end, name="team-end"),
    path("children/<uuid:public_id>/meetings/", child.meeting, name="meeting"),
    path("children/<uuid:public_id>/nrm/", child.nrm_referral, name="nrm"),
    path("children/<uuid:public_id>/chronology/", child.child_chronology, name="chronology"),
    path("children/<uuid:public_id>/assessment/", assessments.start, name="assessment-start"),
    path("children/<uuid:public_id>/plans/new/", plans.new_plan, name="plan-new"),
    path("nrm/<int:pk>/decision/", child.nrm_decision, name="nrm-decision"),
    path("clocks/<int:pk>/return-interview/", child.return_interview, name="return-interview"),
    path("assessments/<int:pk>/", assessments.assessment, name="assessment"),
    path("assessments/<int:pk>/autosave/<slug:section>/", assessments.autosave,
         name="autosave"),
    path("assessments/<int:pk>/submit/", assessments.submit, name="assessment-submit"),
    path("assessments/<int:pk>/decision/", assessments.decide, name="assessment-decide"),
    path("assessments/<int:pk>/amend/", corrections.amend_assessment, name="assessment-amend"),
    # Correct or withdraw a recorded item with a reason: meeting, nrm, action, review, interview.
    path("records/<slug:kind>/<int:pk>/correct/", corrections.correct, name="record-correct"),
    path("records/<slug:kind>/<int:pk>/withdraw/", corrections.withdraw,
         name="record-withdraw"),
    path("clocks/<int:pk>/reopen/", corrections.reopen_interview, name="interview-reopen"),
    path("plans/<int:pk>/", plans.plan, name="plan"),
    path("plans/<int:pk>/actions/", plans.add_action, name="plan-action"),
    path("plans/<int:pk>/reviews/", plans.add_review, name="plan-review"),
    path("actions/<int:pk>/status/", plans.action_status, name="action-status"),
]
