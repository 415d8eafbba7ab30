"""Find support from a triage decision and from a plan (issue 14 §2): where the link is shown,
where it goes, and that a viewer who may not open the child never sees it."""

import html

import pytest
from django.urls import reverse

from saferoptions.cases import next_steps, services
from saferoptions.cases.models import Concern

from .conftest import same_page
from .factories import PlanFactory

pytestmark = pytest.mark.django_db

REFER = {"outcome": "intervention_referral", "reasons": "Mentoring would help her now"}


def _support(person) -> str:
    return reverse("interventions:find-support", args=[person.public_id])


def _concern(w, person):
    return services.raise_concern(person=person, source="practitioner",
                                  reason="Seen getting into cars with older men",
                                  raised_by=w.users["lead"], locality=w.north,
                                  subject=None if person else {"family_name": "Okafor"})


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_referral_to_an_intervention_takes_the_hub_on_to_find_support(client, world):
    concern = _concern(world, world.child)
    client.force_login(world.users["hub"])
    url = reverse("cases:concern", args=[concern.pk])
    decided = client.post(url, REFER)
    assert decided.status_code == 302 and decided["Location"] == _support(world.child)
    page = client.get(decided["Location"])
    assert page.status_code == 200
    assert "Now choose the programme to refer Amara Okafor to." in _text(page)
    assert "Programmes the child is eligible for" in _text(page)
    # Back on the concern, the decision keeps the next step, pointing at the same page.
    again = _text(client.get(url))
    assert f'id="find-support" href="{_support(world.child)}"' in again
    assert "Find support for Amara Okafor" in again


def test_any_other_decision_goes_back_to_the_queue_without_the_link(client, world):
    concern = _concern(world, world.child)
    client.force_login(world.users["hub"])
    url = reverse("cases:concern", args=[concern.pk])
    decided = client.post(url, {"outcome": "early_help", "reasons": "Family asked for help"})
    assert decided["Location"] == reverse("cases:triage")
    assert "Find support for" not in _text(client.get(url))


def test_a_concern_about_no_known_child_says_there_is_no_one_to_find_support_for(client,
                                                                                    world):
    concern = _concern(world, None)
    client.force_login(world.users["hub"])
    url = reverse("cases:concern", args=[concern.pk])
    before = _text(client.get(url))
    assert 'id="no-child-for-support"' in before
    assert "name the child first (above)" in before
    decided = client.post(url, REFER)
    assert decided["Location"] == reverse("cases:triage")
    queue = _text(client.get(decided["Location"]))
    assert "This concern is not about a known child, so there is no one to find support " \
           "for from it." in queue
    assert Concern.objects.get(pk=concern.pk).outcome == "intervention_referral"
    assert "Find support for" not in _text(client.get(url))


def test_the_next_step_is_offered_only_to_a_viewer_who_may_open_the_child(client, world):
    concern = _concern(world, world.child)
    services.decide_concern(actor=world.users["hub"], concern=concern, **REFER)
    concern.refresh_from_db()
    assert next_steps.support_after_decision(world.users["hub"], concern) == \
        _support(world.child)
    assert next_steps.support_after_decision(world.users["outsider"], concern) == ""
    # The outsider meets find support's common 404, the same as for a child who is not there.
    client.force_login(world.users["outsider"])
    forbidden = client.get(_support(world.child))
    absent = client.get(reverse("interventions:find-support",
                                args=["5d0c3b54-56a4-4d5e-9a43-000000000000"]))
    assert forbidden.status_code == 404
    assert same_page(forbidden, absent, world.child.public_id,
                     "5d0c3b54-56a4-4d5e-9a43-000000000000")
    # A social worker is not the Hub: the concern, and its link, are the common 404.
    client.force_login(world.users["social_worker"])
    assert client.get(reverse("cases:concern", args=[concern.pk])).status_code == 404


def test_the_plan_page_links_find_support_for_its_child(client, world):
    plan = PlanFactory(person=world.child, worker=world.users["social_worker"])
    client.force_login(world.users["social_worker"])
    page = _text(client.get(reverse("cases:plan", args=[plan.pk])))
    assert f'id="find-support" href="{_support(world.child)}"' in page
    assert "Find support for Amara Okafor" in page
    assert client.get(_support(world.child)).status_code == 200


def test_a_viewer_who_may_not_open_the_child_sees_neither_plan_nor_link(client, world):
    plan = PlanFactory(person=world.child, worker=world.users["social_worker"])
    client.force_login(world.users["outsider"])
    response = client.get(reverse("cases:plan", args=[plan.pk]))
    assert response.status_code == 404
    assert _support(world.child) not in response.content.decode()
    assert client.get(_support(world.child)).status_code == 404
