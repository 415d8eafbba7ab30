"""A task outcome that can name a programme offers find support for the task's child
(issue 14 §2): after that question, in a new tab so nothing typed is lost, and only to a
viewer the policy lets open the child."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from saferoptions.core import clock
from saferoptions.core.models import Team
from tests.core.factories import UserFactory
from tests.people.factories import PersonFactory

from .factories import make_task

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _member(team_slug, role):
    team = Team.objects.get(slug=team_slug)
    return UserFactory(role=role, team=team, agency=team.agency)


def _support(person) -> str:
    return reverse("interventions:find-support", args=[person.public_id])


@pytest.fixture
def child():
    return PersonFactory(given_name="Tariq", family_name="Okonjo",
                         date_of_birth=dt.date(2009, 5, 2))


def _link(person) -> str:
    return (f'<a class="govuk-link" href="{_support(person)}" target="_blank" '
            f'rel="noopener noreferrer">Find support for Tariq Okonjo (opens in new tab)</a>')


def test_the_rapid_response_outcome_offers_find_support_after_referred_on_to(child):
    worker = _member("barnardos-base-routes", "lead_worker")
    with clock.frozen(NOON):
        task = make_task("barnardos-base-routes", person=child)
        client = _client(worker)
        page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
        assert _link(child) in page
        # Beside the "A programme in the catalogue" answer, before the details of the referral.
        assert (page.index('name="referred_to"') < page.index('id="find-support"')
                < page.index('name="referral_details"'))
        assert client.get(_support(child)).status_code == 200
        # A refused outcome comes back with what was typed and the link still there.
        refused = client.post(reverse("tasks:outcome", args=[task.pk]),
                              {"referral_details": "Mentoring, to be brokered"})
        assert refused.status_code == 400
        assert _link(child) in refused.content.decode()
        assert "Mentoring, to be brokered" in refused.content.decode()


def test_the_school_risk_assessment_offers_it_after_which_programme(child):
    manager = _member("education-inclusion", "education_inclusion_manager")
    with clock.frozen(NOON):
        task = make_task("education-inclusion", "school-weapon-or-drugs", person=child)
        page = _client(manager).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert _link(child) in page
    assert page.index('name="programme_not_listed"') < page.index('id="find-support"')


def test_a_team_member_who_may_not_open_the_child_sees_a_reference_and_no_link(child):
    analyst = _member("barnardos-base-routes", "analyst")  # aggregates only, never a record
    with clock.frozen(NOON):
        task = make_task("barnardos-base-routes", person=child)
        client = _client(analyst)
        page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
        assert 'id="outcome-form"' in page  # the form is there; the link is not
        assert "Find support" not in page and str(child.public_id) not in page
        assert client.get(_support(child)).status_code == 404


def test_a_task_whose_outcome_names_no_programme_does_not_offer_it(child):
    worker = _member("barnardos-base-routes", "lead_worker")
    with clock.frozen(NOON):
        make_task("barnardos-base-routes", person=child)  # the team works with the child
        other = make_task("barnardos-base-routes", "missing-three-in-ninety-days",
                          person=child)
        page = _client(worker).get(reverse("tasks:detail", args=[other.pk])).content.decode()
    assert "Tariq Okonjo" in page and "Find support" not in page
