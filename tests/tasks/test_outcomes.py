"""Each kind of task has its form; what is recorded is stored, audited, versioned and counted."""

import datetime as dt
import re

import pytest
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import StatutoryClock
from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.interventions import hooks as intervention_hooks
from saferoptions.interventions.models import Programme
from saferoptions.interventions.selectors import programmes_for_a_child
from saferoptions.meetings.services import action_rule
from saferoptions.people.models import Person
from saferoptions.tasks import selectors
from saferoptions.tasks.models import Task, TaskOutcome
from tests.core.factories import UserFactory
from tests.feeds.factories import ago, young_person

from .factories import date_parts, make_task, on_team_around, send

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _member(team_slug, role="lead_worker"):
    return UserFactory(role=role, team=Team.objects.get(slug=team_slug))


def _post(user, task, data):
    return _client(user).post(f"/tasks/{task.pk}/outcome/", data)


# --- hospital rapid response ----------------------------------------------------------------

def _rapid_response(**changes):
    tried = clock.now() - dt.timedelta(hours=3)
    data = {**date_parts("contact_attempted_at", tried), "contact_made": "yes",
            **date_parts("contact_made_at", tried + dt.timedelta(hours=1)),
            "contact_how": "in_person", "support_offered": ["mentoring", "youth_work"],
            "support_accepted": "some", "consent": "young_person",
            "referred_to": ["hub"], "referral_details": "Hub asked to triage",
            "outcome": "engaged"}
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def test_a_rapid_response_stores_its_answers_and_the_task_is_done():
    worker = _member("barnardos-base-routes")
    send("ed_assault")
    task = Task.objects.get()
    response = _post(worker, task, _rapid_response())
    assert response.status_code == 302
    stored = TaskOutcome.objects.get(task=task)
    assert (stored.version, stored.state, stored.outcome) == (1, "current", "engaged")
    assert stored.answers["support_offered"] == ["mentoring", "youth_work"]
    assert stored.answers["consent"] == "young_person"
    assert stored.answers["referred_to"] == ["hub"]
    assert dt.datetime.fromisoformat(stored.answers["contact_made_at"]) == stored.happened_at
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by == worker
    audit = AuditEntry.objects.filter(actor_id=worker.pk, action="create",
                                      object_type="task").latest("sequence")
    assert audit.detail["code"] == "engaged" and "Hub asked" not in str(audit.detail)
    page = _client(worker).get(f"/tasks/{task.pk}/").content.decode()
    assert "Engaged with support" in page and "Mentoring, Youth work" in page


@pytest.mark.parametrize("changes, message", [
    ({"contact_made_at_day": None, "contact_made_at_month": None, "contact_made_at_year": None,
      "contact_made_at_hour": None, "contact_made_at_minute": None},
     "Enter when contact was made"),
    ({"contact_attempted_at_day": "31", "contact_attempted_at_month": "2"},
     "When contact was first attempted must be a real date"),
    ({"contact_attempted_at_year": "2999"}, "When contact was first attempted must be now or in "
                                            "the past"),
    ({"contact_attempted_at_hour": "25"}, "When contact was first attempted must be a real time"),
    ({"contact_made_at_month": None}, "When contact was made must include a month"),
    ({"consent": None}, "Consent to work with the young person: choose an answer"),
    ({"referred_to": ["none", "hub"]}, "Referred on to: choose &#x27;No referral onward&#x27; or "
                                       "the others, not both"),
    ({"contact_made": "no", "contact_made_at_day": None, "contact_made_at_month": None,
      "contact_made_at_year": None, "contact_made_at_hour": None, "contact_made_at_minute": None},
     "Outcome: choose &#x27;Could not be contacted&#x27;"),
    ({"outcome": "cured"}, "Outcome: choose an answer from the list"),
])
def test_a_rapid_response_with_bad_input_is_refused_naming_the_field(changes, message):
    worker = _member("barnardos-base-routes")
    send("ed_assault")
    task = Task.objects.get()
    response = _post(worker, task, _rapid_response(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TaskOutcome.objects.exists()
    task.refresh_from_db()
    assert task.status == "open"


# --- Education Inclusion Manager risk assessment --------------------------------------------

def _risk_assessment(**changes):
    programme = programmes_for_a_child().first()  # one a risk assessment may offer
    data = {**date_parts("assessed_on", clock.today()), "risk_factors": ["weapon", "peer_group"],
            "risk_level": "medium", "what_was_weighed": "First incident, remorseful",
            "programme_instead": "yes", "programme": str(programme.pk),
            "outcome": "not_excluded"}
    return {k: v for k, v in {**data, **changes}.items() if v is not None}, programme


def test_a_risk_assessment_stores_the_judgement_and_counts_an_exclusion_avoided():
    manager = _member("education-inclusion", role="education_inclusion_manager")
    send("school_incident", incident_kind="knife")
    task = Task.objects.get(task_type="risk_assessment")
    assert selectors.exclusions_avoided() == 0
    data, programme = _risk_assessment()
    assert _post(manager, task, data).status_code == 302
    stored = TaskOutcome.objects.get(task=task)
    assert stored.answers["risk_level"] == "medium"
    assert stored.answers["risk_factors"] == ["weapon", "peer_group"]
    assert stored.answers["programme"] == {"id": programme.pk, "name": programme.name}
    assert selectors.exclusions_avoided() == 1
    assert selectors.outcome_counts("risk_assessment") == {"not_excluded": 1}
    # The programme's report counts it through the counter tasks registers with interventions.
    counter = intervention_hooks.exclusions_avoided_counter()
    assert counter(programme.pk) == 1
    other = Programme.objects.exclude(pk=programme.pk).first()
    assert counter(other.pk) == 0


def test_an_exclusion_is_not_counted_as_avoided():
    manager = _member("education-inclusion", role="education_inclusion_manager")
    send("school_incident", incident_kind="drugs")
    task = Task.objects.get(task_type="risk_assessment")
    data, _ = _risk_assessment(programme_instead="no", programme=None, outcome="suspended")
    assert _post(manager, task, data).status_code == 302
    assert selectors.exclusions_avoided() == 0


@pytest.mark.parametrize("changes, message", [
    ({"programme": None}, "Choose which programme, or describe one not listed"),
    ({"programme": "999999"}, "Choose which programme from the list"),
    ({"risk_level": None}, "Level of risk: choose an answer"),
    ({"risk_factors": None}, "Risk factors found: choose at least one"),
    ({"assessed_on_day": "x"}, "Date of the risk assessment must be a real date"),
])
def test_a_risk_assessment_with_bad_input_is_refused_naming_the_field(changes, message):
    manager = _member("education-inclusion", role="education_inclusion_manager")
    send("school_incident", incident_kind="weapon")
    task = Task.objects.get(task_type="risk_assessment")
    data, _ = _risk_assessment(**changes)
    response = _post(manager, task, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not TaskOutcome.objects.exists()


# --- return home interview ------------------------------------------------------------------

def _returned_child():
    Person.objects.create(given_name="Ava", family_name="Jones",
                          date_of_birth=dt.date(2011, 1, 2))
    send("missing_episode", occurred_at=ago(hours=30), returned_at=ago(hours=20),
         person=young_person(given_name="Ava", family_name="Jones", date_of_birth="2011-01-02"))
    return Task.objects.get(task_type="return_home_interview")


def _interview(task, held_at, **changes):
    data = {**date_parts("held_at", held_at), "held_by": "Sam Rivers, early help worker",
            "outcome": "held", "child_words": "I went to my friend's flat because of the rows",
            "push_factors": ["home_conflict"], "pull_factors": ["friends", "older_people"],
            "exploitation_indicators": ["older_associates"],
            "shared_with": ["social_worker", "hub"]}
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def test_a_return_home_interview_stores_the_childs_words_and_meets_its_clock():
    task = _returned_child()
    worker = _member(task.team.slug, role="early_help_worker")
    held = clock.now() - dt.timedelta(hours=2)
    assert _post(worker, task, _interview(task, held)).status_code == 302
    stored = TaskOutcome.objects.get(task=task)
    assert stored.answers["child_words"].startswith("I went to my friend's flat")
    assert stored.answers["pull_factors"] == ["friends", "older_people"]
    assert stored.answers["shared_with"] == ["social_worker", "hub"]
    rhi = StatutoryClock.objects.get(kind="return_home_interview")
    assert rhi.met_at == held.replace(second=0, microsecond=0)


def test_a_late_interview_needs_a_reason_and_a_held_one_the_childs_words():
    task = _returned_child()
    worker = _member(task.team.slug, role="early_help_worker")
    with clock.frozen(task.due_at + dt.timedelta(hours=5)):
        late = _post(worker, task, _interview(task, task.due_at + dt.timedelta(hours=2)))
        assert late.status_code == 400 and "Enter why the interview was late" in \
            late.content.decode()
        no_words = _post(worker, task, _interview(task, task.due_at - dt.timedelta(hours=1),
                                                  child_words=None))
        assert no_words.status_code == 400
        assert "Enter the child&#x27;s own words" in no_words.content.decode()
        fine = _post(worker, task, _interview(task, task.due_at + dt.timedelta(hours=2),
                                              late_reason="The child was away with family"))
        assert fine.status_code == 302
    assert StatutoryClock.objects.get(kind="return_home_interview").late_reason == \
        "The child was away with family"


# --- meeting action and any other type ------------------------------------------------------

def test_a_meeting_action_shows_its_text_and_records_what_was_done():
    action_rule()
    task = make_task("early-help-north", "locality-meeting-action",
                     description="Offer Amara a place at the girls' group")
    worker = _member("early-help-north", role="early_help_worker")
    page = _client(worker).get(f"/tasks/{task.pk}/").content.decode()
    assert "Offer Amara a place at the girls&#x27; group" in page
    refused = _post(worker, task, {**date_parts("happened_on", clock.today()),
                                   "outcome": "done"})
    assert refused.status_code == 400 and "Enter what was done" in refused.content.decode()
    done = _post(worker, task, {**date_parts("happened_on", clock.today()), "outcome": "done",
                                "what_was_done": "Amara starts on Thursday"})
    assert done.status_code == 302
    assert TaskOutcome.objects.get(task=task).answers["what_was_done"] == \
        "Amara starts on Thursday"


def test_other_types_record_what_was_done_and_an_outcome():  # e.g. a Hub triage task
    task = make_task("hub", "missing-three-in-ninety-days")
    worker = _member("hub", role="hub_practitioner")
    done = _post(worker, task, {**date_parts("happened_on", clock.today()),
                                "outcome": "no_further_action",
                                "what_was_done": "Visited with licensing"})
    assert done.status_code == 302
    assert TaskOutcome.objects.get(task=task).outcome == "no_further_action"



def test_work_done_today_can_be_recorded_just_after_midnight():
    # A date alone counts from midday; at 00:30 that was "in the future" and refused.
    with clock.frozen(dt.datetime(2027, 1, 1, 0, 30, tzinfo=dt.UTC)):
        task = make_task("hub", "missing-three-in-ninety-days")
        worker = _member("hub", role="hub_practitioner")
        done = _post(worker, task, {**date_parts("happened_on", clock.today()),
                                    "outcome": "no_further_action",
                                    "what_was_done": "Visited with licensing"})
        assert done.status_code == 302
        assert TaskOutcome.objects.get(task=task).happened_at <= clock.now()

# --- done needs an outcome; corrections and withdrawals keep the record ---------------------

def test_done_without_an_outcome_is_refused_on_the_task_page():
    worker = _member("barnardos-base-routes")
    send("ed_assault")
    task = Task.objects.get()
    response = _client(worker).post(f"/tasks/{task.pk}/complete/")
    assert response.status_code == 400
    assert "Record the outcome before marking the task as done" in response.content.decode()
    assert f'action="/tasks/{task.pk}/outcome/"' in response.content.decode()
    task.refresh_from_db()
    assert task.status == "open"
    # A reload of a form's address (GET) leads back to the task, never a 405.
    for url in (f"/tasks/{task.pk}/outcome/", f"/tasks/{task.pk}/complete/",
                f"/tasks/{task.pk}/take/", f"/tasks/{task.pk}/reassign/"):
        again = _client(worker).get(url)
        assert again.status_code == 302 and again["Location"] == f"/tasks/{task.pk}/", url


def _recorded(worker):
    task = make_task("hub", "missing-three-in-ninety-days")
    _post(worker, task, {**date_parts("happened_on", clock.today()), "outcome": "done",
                         "what_was_done": "Walked the area with the PCSO"})
    return task


def test_a_correction_is_a_new_version_and_keeps_the_old_one():
    worker = _member("hub", role="hub_practitioner")
    task = _recorded(worker)
    form = _client(worker).get(f"/tasks/{task.pk}/outcome/correct/").content.decode()
    assert "Walked the area with the PCSO" in form  # starts from what is recorded
    no_reason = _client(worker).post(f"/tasks/{task.pk}/outcome/correct/", {
        **date_parts("happened_on", clock.today()), "outcome": "passed_on",
        "what_was_done": "Passed to licensing"})
    assert no_reason.status_code == 400
    assert "Enter why you are making this change" in no_reason.content.decode()
    fixed = _client(worker).post(f"/tasks/{task.pk}/outcome/correct/", {
        **date_parts("happened_on", clock.today()), "outcome": "passed_on",
        "what_was_done": "Passed to licensing", "reason": "Chose the wrong outcome"})
    assert fixed.status_code == 302
    old, new = TaskOutcome.objects.filter(task=task).order_by("version")
    assert (old.state, old.answers["what_was_done"]) == ("corrected",
                                                         "Walked the area with the PCSO")
    assert (new.state, new.version, new.reason) == ("current", 2, "Chose the wrong outcome")
    page = _client(worker).get(f"/tasks/{task.pk}/").content.decode()
    assert "Walked the area with the PCSO" in page and "Passed to licensing" in page
    assert AuditEntry.objects.filter(action="update", object_type="task",
                                     detail__replaces=old.pk).exists()


def test_a_withdrawn_outcome_stays_on_record_and_the_task_opens_again():
    worker = _member("hub", role="hub_practitioner")
    task = _recorded(worker)
    assert _client(worker).post(f"/tasks/{task.pk}/outcome/withdraw/",
                                {"reason": ""}).status_code == 400
    assert _client(worker).post(f"/tasks/{task.pk}/outcome/withdraw/",
                                {"reason": "Recorded on the wrong task"}).status_code == 302
    row = TaskOutcome.objects.get(task=task)
    assert (row.state, row.withdrawn_reason, row.withdrawn_by) == (
        "withdrawn", "Recorded on the wrong task", worker)
    task.refresh_from_db()
    assert task.status == "open" and task.completed_at is None
    # Recording again makes version 2; version 1 is still there.
    _post(worker, task, {**date_parts("happened_on", clock.today()), "outcome": "done",
                         "what_was_done": "Walked the area again"})
    assert list(TaskOutcome.objects.filter(task=task).order_by("version")
                .values_list("version", "state")) == [(1, "withdrawn"), (2, "current")]


def test_another_teams_outcome_cannot_be_recorded_corrected_or_withdrawn():
    owner = _member("hub", role="hub_practitioner")
    task = _recorded(owner)
    outsider = _member("barnardos-base-routes")
    for url, data in ((f"/tasks/{task.pk}/outcome/", {"outcome": "done"}),
                      (f"/tasks/{task.pk}/outcome/correct/", {"reason": "x"}),
                      (f"/tasks/{task.pk}/outcome/withdraw/", {"reason": "x"})):
        assert _client(outsider).post(url, data).status_code == 404, url
    assert TaskOutcome.objects.get(task=task).state == "current"


def test_the_risk_assessment_offers_the_pupils_eligible_programmes_first():
    manager = _member("education-inclusion", role="education_inclusion_manager")
    pupil = Person.objects.create(given_name="Kai", family_name="Moss",
                                  date_of_birth=dt.date(2012, 5, 1))
    task = make_task("education-inclusion", "school-weapon-or-drugs", person=pupil)
    on_team_around(manager, pupil)
    body = _client(manager).get(f"/tasks/{task.pk}/").content.decode()
    select = re.search(r'<select[^>]*name="programme".*?</select>', body, re.S).group(0)
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)
    labels = [label for _, label in options]
    assert labels and any("(eligible," in label for label in labels)
    first_other = next((i for i, label in enumerate(labels) if "(not eligible)" in label),
                       len(labels))
    assert all("(eligible," in label for label in labels[:first_other])


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_a_task_page_refused_for_its_input_says_error_in_its_title():
    # Every other form page of the service starts its title with 'Error:' when it comes back
    # with an error (GOV.UK: a screen reader hears it first); the task pages did not.
    worker = _member("hub", role="hub_practitioner")
    task = _recorded(worker)
    correct = _client(worker).post(f"/tasks/{task.pk}/outcome/correct/", {
        **date_parts("happened_on", clock.today()), "outcome": "passed_on",
        "what_was_done": "Passed to licensing"})
    withdraw = _client(worker).post(f"/tasks/{task.pk}/outcome/withdraw/", {"reason": ""})
    assert correct.status_code == withdraw.status_code == 400
    assert _title(correct).startswith("Error: Correct the outcome")
    assert _title(withdraw).startswith("Error: Withdraw the outcome")
    send("ed_assault")
    rapid = Task.objects.get(task_type="hospital_rapid_response")
    refused = _post(_member("barnardos-base-routes"), rapid, {"outcome": "cured"})
    assert refused.status_code == 400 and _title(refused).startswith("Error: ")
    assert not _title(_client(worker).get(f"/tasks/{task.pk}/")).startswith("Error")
