"""The person who raised it hears back: status and the Hub's message, never a child's details."""

import pytest

from saferoptions.intelligence import services

from .conftest import signed_in
from .helpers import graded, sanitised, submitted

pytestmark = pytest.mark.django_db


def test_the_referrer_sees_status_and_message_but_not_who_it_was_linked_to(client, world):
    report = submitted(world)
    signed_in(client, world.users["licensing"])
    assert "Received" in client.get("/intelligence/mine/").content.decode()
    graded(world, report)
    sanitised(world, report)
    services.link(actor=world.users["hub"], report=report, person=world.child)
    assert "Being looked at" in client.get("/intelligence/mine/").content.decode()
    signed_in(client, world.users["hub"])
    response = client.post(f"/intelligence/reports/{report.pk}/status/", {
        "status": "acted_on", "message": "Thank you: outreach workers will visit the premises."})
    assert response.status_code == 302
    signed_in(client, world.users["licensing"])
    page = client.get("/intelligence/mine/").content.decode()
    assert "Acted on" in page and "outreach workers will visit" in page
    for secret in (world.child.given_name, world.child.family_name, "2BP",
                   "Adults seen giving gifts"):
        assert secret not in page


def test_nobody_sees_anyone_elses_submissions(client, world):
    report = submitted(world)
    signed_in(client, world.users["housing"])
    assert report.reference not in client.get("/intelligence/mine/").content.decode()


def test_only_an_analyst_sets_the_status(client, world):
    report = submitted(world)
    signed_in(client, world.users["licensing"])
    response = client.post(f"/intelligence/reports/{report.pk}/status/",
                           {"status": "acted_on", "message": ""})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == "received"
