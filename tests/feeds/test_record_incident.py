"""Record an incident: a partner practitioner types one in, and it goes through their
agency's feed (the same checks, linkage, rules, tasks and audit as a message)."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from saferoptions.audit.models import AuditEntry
from saferoptions.contexts.models import School
from saferoptions.core import clock
from saferoptions.core.models import Agency, Team
from saferoptions.events.models import Event
from saferoptions.feeds.models import InboxMessage
from saferoptions.tasks.models import Task
from tests.cases.factories import TeamMemberFactory
from tests.contexts.factories import PlaceFactory
from tests.core.factories import UserFactory
from tests.people.factories import IdentityFactory, PersonFactory

pytestmark = pytest.mark.django_db
URL = "/feeds/incidents/new/"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def school():
    place = PlaceFactory(name="Hartcliffe Academy", place_type="school")
    return School.objects.create(name="Hartcliffe Academy", urn="100001", place=place)


@pytest.fixture
def manager():
    return UserFactory(role="education_inclusion_manager",
                       team=Team.objects.get(slug="education-inclusion"))


def _form(**changes) -> dict:
    when = timezone.localtime(clock.now() - dt.timedelta(hours=2))
    data = {"key": "a1b2c3d4e5f60718293a4b5c6d7e8f90", "kind": "school_incident:knife",
            "given_name": "Jay", "family_name": "Okafor", "date_of_birth_day": "4",
            "date_of_birth_month": "9", "date_of_birth_year": "2011", "school": "",
            "occurred_at_day": when.day, "occurred_at_month": when.month,
            "occurred_at_year": when.year, "occurred_at_hour": when.hour,
            "occurred_at_minute": when.minute, "where": "school",
            "summary": "A knife was found in his bag at morning registration."}
    return data | changes


def test_a_knife_in_school_makes_the_24_hour_risk_assessment(manager, school):
    response = _client(manager).post(URL, _form(school=school.pk))
    assert response.status_code == 302
    event = Event.objects.get(source_reference="SO-A1B2C3D4E5")
    assert (event.event_type, event.category, event.place_id) == (
        "school_incident", "knife", school.place_id)
    task = Task.objects.get(event=event, task_type="risk_assessment")
    assert task.team.slug == "education-inclusion"
    assert task.due_at - event.reported_at == dt.timedelta(hours=24)
    page = _client(manager).get(response["Location"]).content.decode()
    assert "SO-A1B2C3D4E5" in page
    assert "Education Inclusion" in page and "risk assessment" in page
    assert "Your team's tasks" in page  # the task is the inclusion manager's own team's


def test_it_takes_the_feeds_path_and_writes_the_audit_row(manager, school):
    _client(manager).post(URL, _form(school=school.pk))
    message = InboxMessage.objects.get(idempotency_key="a1b2c3d4e5f60718293a4b5c6d7e8f90")
    assert message.status == "accepted" and message.agency_id == manager.agency_id
    rows = AuditEntry.objects.filter(action="create")
    typed = [r for r in rows.filter(object_type="feed_message")
             if r.object_ids == [str(message.pk)]]
    assert [r.actor_id for r in typed] == [manager.pk]
    assert any(str(message.event_id) in r.object_ids for r in rows.filter(object_type="event"))


def test_sending_the_page_twice_makes_one_event_and_one_task(manager, school):
    first = _client(manager).post(URL, _form(school=school.pk))
    again = _client(manager).post(URL, _form(school=school.pk))
    assert first.status_code == again.status_code == 302
    assert InboxMessage.objects.count() == 1
    assert Event.objects.filter(source_reference="SO-A1B2C3D4E5").count() == 1
    assert Task.objects.filter(task_type="risk_assessment").count() == 1


def test_malformed_input_is_refused_with_the_field_named_and_what_was_typed_kept(manager,
                                                                                 school):
    response = _client(manager).post(URL, _form(school=school.pk, date_of_birth_day="31",
                                                date_of_birth_month="2", summary="", where="words"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Child&#x27;s date of birth must be a real date" in body
    assert "Describe what happened." in body and "Say where it happened." in body
    assert 'value="Okafor"' in body
    assert not InboxMessage.objects.exists() and not Event.objects.exists()


def test_a_school_incident_needs_the_school(manager):
    body = _client(manager).post(URL, _form()).content.decode()
    assert "Choose the child&#x27;s school" in body
    assert not InboxMessage.objects.exists()


def test_a_date_of_birth_in_the_future_is_named_as_the_feed_refuses_it(manager, school):
    year = clock.today().year + 1
    body = _client(manager).post(URL, _form(school=school.pk, date_of_birth_year=str(year))
                                 ).content.decode()
    assert re.search(r"Child&#x27;s date of birth (is in the future|must be)", body)
    assert not InboxMessage.objects.exists()


def test_a_kind_the_agency_does_not_send_is_refused(manager, school):
    body = _client(manager).post(URL, _form(school=school.pk, kind="ed_assault:knife_sharp")
                                 ).content.decode()
    assert "Choose what happened from the list." in body
    assert not InboxMessage.objects.exists()


def test_the_ed_practitioner_refers_a_knife_assault_for_rapid_response():
    nurse = UserFactory(role="health_practitioner", team=Team.objects.get(slug="hospital-ed"))
    page = _client(nurse).get(URL).content.decode()
    assert "Assault with a knife or sharp object" in page and "School incident" not in page
    response = _client(nurse).post(URL, _form(kind="ed_assault:knife_sharp", where="words",
                                              where_words="Outside the chip shop"))
    assert response.status_code == 302
    task = Task.objects.get(task_type="hospital_rapid_response")
    assert task.team.slug == "barnardos-base-routes"
    assert task.due_at - task.event.reported_at == dt.timedelta(hours=24)


def test_a_role_whose_agency_sends_no_events_gets_the_page_not_found():
    provider = Agency.objects.filter(kind="barnardos").first()
    worker = UserFactory(role="social_worker", agency=provider)
    absent = _client(worker).get("/feeds/incidents/no-such-page/")
    for response in (_client(worker).get(URL), _client(worker).post(URL, _form())):
        assert response.status_code == absent.status_code == 404
        assert _unsalted(response.content) == _unsalted(absent.content)
    assert not InboxMessage.objects.exists()


def _unsalted(page: bytes) -> bytes:
    """The page without what differs on every response (the form tokens)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"', b"",
                  page)


def test_a_role_that_sends_no_records_gets_the_page_not_found():
    worker = UserFactory(role="early_help_worker")
    assert _client(worker).get(URL).status_code == 404


def test_the_result_page_is_only_for_who_recorded_it(manager, school):
    location = _client(manager).post(URL, _form(school=school.pk))["Location"]
    colleague = UserFactory(role="education_inclusion_manager", team=manager.team)
    assert _client(colleague).get(location).status_code == 404
    assert _client(manager).get(location.replace("recorded/", "recorded/x")).status_code == 404


def test_the_home_page_offers_it_only_where_the_page_is_there(manager):
    assert "/feeds/incidents/new/" in _client(manager).get("/").content.decode()
    provider = Agency.objects.filter(kind="barnardos").first()
    worker = UserFactory(role="social_worker", agency=provider)
    assert "/feeds/incidents/new/" not in _client(worker).get("/").content.decode()


def test_a_child_found_and_chosen_fills_the_form_and_joins_the_schools_own_record(manager,
                                                                                  school):
    child = PersonFactory(given_name="Tariq", family_name="Osei")
    IdentityFactory(person=child, agency=manager.agency, source_id="UPN-77", school=school)
    TeamMemberFactory(person=child, user=manager)
    found = _client(manager).get(URL, {"find": "Osei"}).content.decode()
    assert f"?child={child.public_id}" in found
    page = _client(manager).get(URL, {"child": child.public_id}).content.decode()
    assert 'value="Tariq"' in page and 'value="UPN-77"' in page
    assert f'value="{school.pk}" selected' in page
    _client(manager).post(URL, _form(school=school.pk, given_name="Tariq", family_name="Osei",
                                     child_id="UPN-77"))
    assert Task.objects.get(task_type="risk_assessment").person_id == child.pk


def test_a_child_the_practitioner_may_not_see_is_neither_found_nor_filled_in(manager):
    hidden = PersonFactory(given_name="Nadia", family_name="Quarshie")
    IdentityFactory(person=hidden, source_id="X-1")
    assert "?child=" not in _client(manager).get(URL, {"find": "Quarshie"}).content.decode()
    page = _client(manager).get(URL, {"child": hidden.public_id}).content.decode()
    assert "Nadia" not in page and "X-1" not in page
