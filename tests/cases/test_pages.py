"""Every pathway page renders for a child with a full pathway, for each kind of viewer."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.cases import services
from saferoptions.cases.models import StatutoryClock
from tests.contexts.factories import GroupFactory, PlaceFactory
from tests.events.factories import EventFactory, InvolvementFactory

from .conftest import police_event

pytestmark = pytest.mark.django_db


def _full_pathway(w):
    sw, child = w.users["social_worker"], w.child
    police_event(w, child)
    missing = EventFactory(event_type="missing_episode", category="missing",
                           reporting_agency=w.agencies["police"],
                           occurred_at=dt.datetime(2026, 2, 27, 20, tzinfo=dt.UTC),
                           ended_at=dt.datetime(2026, 2, 28, 9, tzinfo=dt.UTC))
    InvolvementFactory(event=missing, person=child, role="missing_person")
    services.open_return_home_interview(event=missing, person=child, owner=w.users["lead"])
    concern = services.raise_concern(person=child, source="practitioner", kind="missing",
                                     reason="Fourth missing episode", raised_by=w.users["lead"])
    services.decide_concern(actor=w.users["hub"], concern=concern,
                            outcome="strategy_discussion", reasons="Significant harm")
    services.record_meeting(actor=sw, person=child, kind="strategy_discussion",
                            held_on=dt.date(2026, 3, 2), discussion="Section 47")
    assessment = services.start_assessment(actor=sw, person=child,
                                           referral_on=dt.date(2026, 3, 2))
    plan = services.create_plan(actor=sw, person=child, kind="contextual_safety",
                                outcomes="Safe from the group", review_on=dt.date(2026, 4, 1),
                                groups=[GroupFactory()], places=[PlaceFactory()])
    services.add_plan_action(actor=sw, plan=plan, description="Mentoring", owner=w.users["lead"],
                             due_on=dt.date(2026, 3, 20))
    services.record_nrm_referral(actor=sw, person=child, referred_on=dt.date(2026, 3, 2))
    return concern, assessment, plan


def test_every_page_renders_for_the_team_and_the_hub(client, world):
    concern, assessment, plan = _full_pathway(world)
    ref = world.child.public_id
    pages = {
        "social_worker": [reverse("cases:child", args=[ref]),
                          reverse("cases:chronology", args=[ref]),
                          reverse("cases:chronology", args=[ref]) + "?print=1",
                          reverse("cases:assessment", args=[assessment.pk]),
                          reverse("cases:plan", args=[plan.pk]),
                          reverse("cases:plan-new", args=[ref]),
                          reverse("cases:raise", args=[ref]),
                          reverse("cases:my-work"), reverse("people:detail", args=[ref])],
        "lead": [reverse("cases:child", args=[ref]), reverse("cases:my-work"),
                 reverse("cases:notifications"), reverse("cases:refer")],
        "hub": [reverse("cases:triage"), reverse("cases:triage") + "?show=decided",
                reverse("cases:concern", args=[concern.pk])],
        "manager": [reverse("cases:overdue")],
    }
    for who, urls in pages.items():
        client.force_login(world.users[who])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (who, url)
    client.force_login(world.users["lead"])
    body = client.get(reverse("cases:child", args=[ref])).content.decode()
    assert "Return home interview" in body and "Record the interview" in body


def test_recording_a_return_interview_from_the_child_page(client, world):
    _full_pathway(world)
    rhi = StatutoryClock.objects.get(kind="return_home_interview")
    client.force_login(world.users["lead"])
    url = reverse("cases:return-interview", args=[rhi.pk])
    bad = client.post(url, {"held_at": "yesterday"})
    assert bad.status_code == 400 and "real date and time" in bad.content.decode()
    ok = client.post(url, {"held_at": "2026-03-02T09:00"})
    assert ok.status_code == 302
    rhi.refresh_from_db()
    assert rhi.state.label == "Met"
