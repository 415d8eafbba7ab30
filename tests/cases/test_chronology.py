"""The chronology: one timeline, only what the viewer may see, filters and a printable view."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from saferoptions.cases import services

from .conftest import police_event, same_page
from .test_team import Ref

pytestmark = pytest.mark.django_db


def _chronology(client, user, person, **params):
    client.force_login(user)
    return client.get(reverse("cases:chronology", args=[person.public_id]), params)


def _scene(w):
    event = police_event(w, w.child, occurred_at=dt.datetime(2026, 2, 1, 22, tzinfo=dt.UTC))
    services.raise_concern(person=w.child, source="feed_rule", event=event,
                           reason="Stop-search near the underpass: knife found")
    services.raise_concern(person=w.child, source="practitioner", raised_by=w.users["lead"],
                           reason="Says she owes money to older boys")
    services.record_meeting(actor=w.users["social_worker"], person=w.child,
                            kind="strategy_discussion", held_on=dt.date(2026, 2, 27),
                            discussion="Agreed section 47 enquiries")
    return event


def test_each_viewer_sees_only_what_the_policy_allows(client, world):
    _scene(world)
    social = _chronology(client, world.users["social_worker"], world.child).content.decode()
    assert "Stop and search" in social  # police share with social care
    assert "knife found" in social  # the concern that came from that event
    assert "Says she owes money" in social and "Strategy discussion" in social
    lead = _chronology(client, world.users["lead"], world.child).content.decode()
    assert "Stop and search" not in lead  # no agreement from police to Barnardo's
    assert "knife found" not in lead  # nor the concern raised from that event
    assert "Says she owes money" in lead


def test_source_agency_and_filters(client, world):
    _scene(world)
    user = world.users["social_worker"]
    police = world.agencies["police"].name
    only_police = _chronology(client, user, world.child, agency=police).content.decode()
    assert "Stop and search" in only_police and "Strategy discussion" not in only_police
    meetings = _chronology(client, user, world.child, kinds="meeting").content.decode()
    assert "Strategy discussion" in meetings and "Says she owes money" not in meetings
    window = _chronology(client, user, world.child, since="2026-02-20").content.decode()
    assert "Stop and search" not in window and "Strategy discussion" in window


def test_bad_filters_are_a_clear_400(client, world):
    response = _chronology(client, world.users["social_worker"], world.child,
                           since="2026-03-01", until="2026-02-01", kinds="gossip")
    assert response.status_code == 400
    body = response.content.decode()
    assert "on or after" in body and "Choose options from the list" in body


def test_printable_view(client, world):
    _scene(world)
    page = _chronology(client, world.users["social_worker"], world.child, print="1")
    body = page.content.decode()
    # The print layout is a stylesheet of its own (no inline style under the CSP).
    assert page.status_code == 200 and "cases/chronology-print.css" in body
    assert "Printed by" in body


def test_forbidden_and_absent_chronologies_are_the_same_404(client, world):
    forbidden = _chronology(client, world.users["lead"], world.other)
    absent_id = uuid.uuid4()
    absent = _chronology(client, world.users["lead"], Ref(absent_id))
    assert forbidden.status_code == 404
    assert same_page(forbidden, absent, world.other.public_id, absent_id)
