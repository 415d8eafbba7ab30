"""A child's record shows the context cases touching them, and the context plans."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.contexts import services
from saferoptions.core.models import Role
from tests.access.factories import AgreementFactory

pytestmark = pytest.mark.django_db


def _share_police_events(world):
    AgreementFactory(provider=world.police, recipient=world.users[Role.SOCIAL_WORKER].agency,
                     categories=["police_incidents"], purposes=["direct_work"])


def test_the_child_page_lists_the_place_case_and_its_plan(client, world):
    _share_police_events(world)  # the child is linked to the place by a police event
    hub = world.users[Role.HUB_PRACTITIONER]
    case = services.refer(actor=hub, kind="place", place=world.place, reason="Gathering spot")
    services.plan_intervention(actor=hub, case_id=case.pk, version=1, kind="detached_youth_work",
                               description="Youth workers on Thursdays", owner=hub,
                               due_on=dt.date(2026, 10, 1))
    client.force_login(world.users[Role.SOCIAL_WORKER])
    page = client.get(reverse("people:detail", args=[world.known.public_id]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "<h2 class=\"govuk-heading-m\">Contexts</h2>" in body
    assert reverse("contexts:case", args=[case.pk]) in body and "Detached youth work" in body


def test_a_closed_case_or_an_unseen_link_is_not_listed(client, world):
    hub = world.users[Role.HUB_PRACTITIONER]
    # Without an agreement the viewer cannot see the police event that links child and place.
    place_case = services.refer(actor=hub, kind="place", place=world.place, reason="Gathering")
    case = services.refer(actor=hub, kind="group", group=world.group, reason="Fights")
    services.close(actor=hub, case_id=case.pk, version=1, reason="no_further_concern")
    client.force_login(world.users[Role.SOCIAL_WORKER])
    body = client.get(reverse("people:detail", args=[world.known.public_id])).content.decode()
    assert reverse("contexts:case", args=[case.pk]) not in body
    assert reverse("contexts:case", args=[place_case.pk]) not in body
    assert "No open place, group or school case you may see." in body
