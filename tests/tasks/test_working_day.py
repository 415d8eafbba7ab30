"""What a tester walking the demo as a new user found (issue 13): the team's and my task lists
count the same tasks, time left reads as people say it, a done task names who did it, and a
place review names its place (as the policy allows), shows what the Hub needs and has its own
outcome form, stored, audited and counted."""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.core import clock
from saferoptions.core.deadlines import due_text, time_left_text
from saferoptions.core.models import Team
from saferoptions.tasks import selectors
from saferoptions.tasks.models import Notification, TaskOutcome
from tests.contexts.factories import ContextCaseFactory, PlaceFactory
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from .factories import date_parts, make_task, on_team_around

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _member(slug="hub", role="hub_practitioner"):
    return UserFactory(role=role, team=Team.objects.get(slug=slug))


# --- 1. one count of the team's tasks, whichever page shows it -------------------------------

@pytest.mark.parametrize("slug, role", [("barnardos-base-routes", "lead_worker"),
                                        ("education-inclusion", "education_inclusion_manager")])
def test_team_and_my_task_lists_and_the_home_page_count_the_same_tasks(slug, role):
    worker = _member(slug, role)
    make_task(slug), make_task(slug), make_task(slug, due_in_hours=-2)
    make_task(slug, assigned_to=worker)
    client = _client(worker)
    team_page = client.get("/tasks/").content.decode()
    my_page = client.get("/tasks/mine/").content.decode()
    for page in (team_page, my_page):
        assert "Team tasks (4)" in page and "My tasks (1)" in page
    assert 'id="count-open">4<' in team_page and 'id="count-overdue">1<' in team_page
    assert 'id="count-open">1<' in my_page and 'id="count-overdue">0<' in my_page
    assert "4 open tasks for your team" in client.get("/").content.decode()
    assert selectors.task_counts(worker) == {"open": 4, "overdue": 1, "unassigned": 3,
                                             "mine": 1, "mine_overdue": 0}


# --- 2. time left in words, beside the deadline --------------------------------------------

@pytest.mark.parametrize("delta, words", [
    (dt.timedelta(hours=22, minutes=52, seconds=30), "22 hours 52 minutes left"),
    (dt.timedelta(days=2, hours=3, minutes=10), "2 days 3 hours left"),
    (dt.timedelta(days=1, minutes=5), "1 day left"),
    (dt.timedelta(hours=1), "1 hour left"),
    (dt.timedelta(minutes=7, seconds=20), "7 minutes left"),
    (dt.timedelta(seconds=20), "less than a minute left"),
    (dt.timedelta(seconds=-20), "due now"),
    (-dt.timedelta(hours=5), "overdue by 5 hours"),
    (-dt.timedelta(days=3, hours=1, minutes=4), "overdue by 3 days 1 hour"),
])
def test_time_left_reads_as_people_say_it(delta, words):
    now = clock.now()
    assert time_left_text(now + delta, now) == words


def test_the_lists_and_the_task_page_show_time_left_in_words_beside_the_deadline():
    worker = _member()
    task = make_task("hub", due_in_hours=22.9)
    client = _client(worker)
    for url in ("/tasks/", f"/tasks/{task.pk}/"):
        page = client.get(url).content.decode()
        assert "22 hours 53 minutes left" in page or "22 hours 54 minutes left" in page
        assert due_text(task.due_at) in page
        assert "0d " not in page
    late = make_task("hub", due_in_hours=-5)
    assert "overdue by 5 hours" in client.get(f"/tasks/{late.pk}/").content.decode()


# --- 3. who did a done task ----------------------------------------------------------------

def _general_outcome(**changes):
    data = {"what_was_done": "Spoke to the school", **date_parts("happened_on", clock.today()),
            "outcome": "done"}
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def test_completing_a_task_nobody_had_taken_makes_the_doer_its_owner():
    worker = _member()
    task = make_task("hub", "community-concern-place-review", place=PlaceFactory())
    client = _client(worker)
    response = client.post(f"/tasks/{task.pk}/outcome/", _place_review())
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.assigned_to == worker and task.completed_by == worker
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    owner = page.split('id="task-owner">')[1].split("<")[0]
    assert owner == "You" and 'id="task-done-by">You' in page and "Nobody yet" not in page
    audit = AuditEntry.objects.filter(actor_id=worker.pk, action="create",
                                      object_type="task").latest("sequence")
    assert audit.detail["assigned_to"] == worker.pk


def test_a_task_someone_owned_keeps_its_owner_and_says_who_completed_it():
    worker, colleague = _member(), _member()
    task = make_task("hub", "missing-three-in-ninety-days")  # the general outcome form
    client = _client(worker)
    assert client.post(f"/tasks/{task.pk}/take/").status_code == 302
    assert client.post(f"/tasks/{task.pk}/reassign/",
                       {"assignee": colleague.pk}).status_code == 302
    task.refresh_from_db()
    assert task.assigned_to == colleague
    assert client.post(f"/tasks/{task.pk}/outcome/", _general_outcome()).status_code == 302
    task.refresh_from_db()
    assert task.assigned_to == colleague and task.completed_by == worker
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert 'id="task-done-by">You' in page
    assert str(colleague) in page.split('id="task-owner">')[1].split("</dd>")[0]
    # A done task cannot be taken or given away.
    assert client.post(f"/tasks/{task.pk}/take/").status_code == 400


# --- 4. a place review names its place and has its own form --------------------------------

def _place_with_a_child(hub_worker):
    place = PlaceFactory(name="Castle Street car park")
    child = PersonFactory(given_name="Remi", family_name="Stone")
    on_team_around(hub_worker, child)  # the policy lets this worker see the child
    hidden = PersonFactory(given_name="Hidden", family_name="Child")
    recent = clock.now() - dt.timedelta(days=3)
    InvolvementFactory(person=child, event=EventFactory(
        place=place, occurred_at=recent, reported_at=recent,
        reporting_agency=hub_worker.agency))
    InvolvementFactory(person=hidden, event=EventFactory(place=place, occurred_at=recent,
                                                         reported_at=recent))
    return place, child


def test_a_place_review_names_and_links_its_place_its_children_and_its_review():
    worker = _member(role="lead_worker")  # sees only the children they work with
    place, child = _place_with_a_child(worker)
    case = ContextCaseFactory(place=place)
    task = make_task("hub", "community-concern-place-review", place=place)
    page = _client(worker).get(f"/tasks/{task.pk}/").content.decode()
    assert f'<a class="govuk-link" href="/contexts/places/{place.pk}/">Castle Street car park' \
        in page
    assert f'href="/contexts/cases/{case.pk}/"' in page
    assert "Remi Stone" in page and f'href="/cases/children/{child.public_id}/"' in page
    assert "Hidden Child" not in page
    # The count of hidden people read "Someone you do not have access to: <5 not shown".
    assert "Not shown: &lt;5 people linked to this place whose records you may not see" in page
    assert 'id="place-recent-events">' in page and " at the place in the last 90 days" in page
    # Headed as the child's panel is: "What the Hub needs about the place" was not English,
    # and a lead worker on a rapid response is not the Hub (seen on the tour).
    assert ">What partners know about the place</h2>" in page and "Hub needs" not in page
    audit = AuditEntry.objects.filter(actor_id=worker.pk, action="view",
                                      object_type="task").latest("sequence")
    assert audit.detail["place"] == place.pk and audit.detail["people"] == [child.pk]


def _no_places(settings):
    """A hub member whose role's rule opens no places (the policy hides every place)."""
    rules = {**settings.ACCESS_ROLE_RULES}
    rules["lead_worker"] = {**rules["lead_worker"], "contexts": []}
    settings.ACCESS_ROLE_RULES = rules
    return _member(role="lead_worker")


def test_a_viewer_who_may_not_see_the_place_is_not_told_its_name(settings):
    viewer = _no_places(settings)
    place = PlaceFactory(name="Castle Street car park")
    task = make_task("hub", "community-concern-place-review", place=place)
    Notification.objects.create(user=viewer, task=task, kind="amber", created_at=clock.now())
    client = _client(viewer)
    for url in (f"/tasks/{task.pk}/", "/tasks/", "/tasks/mine/"):
        page = client.get(url).content.decode()
        assert "Castle Street" not in page and f"/contexts/places/{place.pk}/" not in page
    assert selectors.unread_notifications(viewer)[0]["place"] == ""


def test_a_place_review_notification_names_the_place_to_whoever_may_see_it():
    worker = _member()
    task = make_task("hub", "community-concern-place-review",
                     place=PlaceFactory(name="Castle Street car park"))
    Notification.objects.create(user=worker, task=task, kind="amber", created_at=clock.now())
    page = _client(worker).get("/tasks/").content.decode()
    assert "Task at 75% of its time: Place review at Castle Street car park" in page
    audit = AuditEntry.objects.filter(actor_id=worker.pk, action="list",
                                      object_type="place").latest("sequence")
    assert audit.object_ids == [str(task.place_id)]


def _place_review(**changes):
    data = {**date_parts("reviewed_on", clock.today()),
            "found": "Older men meet children here after school",
            "actions": ["outreach", "licensing"], "action_details": "Youth work from Monday",
            "to_locality_meeting": "yes", "outcome": "actions_agreed"}
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def test_a_place_review_outcome_is_stored_audited_and_counted():
    worker = _member()
    task = make_task("hub", "community-concern-place-review", place=PlaceFactory())
    client = _client(worker)
    form = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "What the review found" in form and "Police disruption" in form
    assert "Does it go to the locality meeting" in form
    assert client.post(f"/tasks/{task.pk}/outcome/", _place_review()).status_code == 302
    stored = TaskOutcome.objects.get(task=task)
    assert stored.outcome == "actions_agreed" and stored.task_type == "place_review"
    assert stored.answers["actions"] == ["outreach", "licensing"]
    assert stored.answers["to_locality_meeting"] == "yes"
    assert stored.answers["found"] == "Older men meet children here after school"
    audit = AuditEntry.objects.filter(actor_id=worker.pk, action="create",
                                      object_type="task").latest("sequence")
    assert audit.detail["code"] == "actions_agreed" and "Older men" not in str(audit.detail)
    assert selectors.outcome_counts("place_review") == {"actions_agreed": 1}
    assert selectors.place_review_figures() == {
        "reviews": 1, "to_locality_meeting": 1, "actions": {"outreach": 1, "licensing": 1}}
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Actions agreed for the place" in page
    assert "Detached youth work or outreach at the place, Licensing conditions" in page


@pytest.mark.parametrize("changes, message", [
    ({"found": ""}, "Enter what the review found"),
    ({"found": "x" * 4001}, "What the review found must be 4000 characters or fewer"),
    ({"actions": None}, "Actions agreed: choose at least one"),
    ({"actions": ["teleport"]}, "Actions agreed: choose from the list"),
    ({"actions": ["none", "outreach"]}, "Actions agreed: choose &#x27;No action agreed&#x27; or "
                                        "the others, not both"),
    ({"actions": ["none"]}, "Actions agreed: choose the actions, or another outcome"),
    ({"outcome": "no_concern"}, "Outcome: actions were agreed, so choose another outcome"),
    ({"to_locality_meeting": None}, "Does it go to the locality meeting: choose an answer"),
    ({"to_locality_meeting": "maybe"}, "Does it go to the locality meeting: choose an answer "
                                       "from the list"),
    ({"reviewed_on_day": "31", "reviewed_on_month": "2"},
     "Date of the review must be a real date"),
    # '²' passes str.isdigit() but not int(), and a year past C's int overflows datetime.date:
    # both were 500s on every GOV.UK date input (seen by the tour)
    ({"reviewed_on_day": "\u00b2"}, "Date of the review must be a real date"),
    ({"reviewed_on_year": "9" * 25}, "Date of the review must be a real date"),
    ({"reviewed_on_year": "99999999999"}, "Date of the review must be a real date"),
    ({"reviewed_on_year": "2999"}, "Date of the review must be today or in the past"),
    ({"outcome": "closed"}, "Outcome: choose an answer from the list"),
])
def test_a_place_review_with_bad_input_is_refused_naming_the_field(changes, message):
    worker = _member()
    task = make_task("hub", "community-concern-place-review", place=PlaceFactory())
    response = _client(worker).post(f"/tasks/{task.pk}/outcome/", _place_review(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TaskOutcome.objects.exists()
    task.refresh_from_db()
    assert task.status == "open"
