"""Handling codes through the access policy: who may read an original, and a sanitised item."""

import datetime as dt

import pytest

from saferoptions.access import policy
from saferoptions.access.models import InformationSharingAgreement
from saferoptions.core.models import Agency
from saferoptions.intelligence.models import IntelligenceReport, SanitisedIntelligence
from tests.access.factories import AgreementFactory

from .conftest import signed_in
from .helpers import graded, sanitised, submitted, without_csrf

pytestmark = pytest.mark.django_db

PERSONAS = ["hub", "social_worker", "police", "housing", "licensing", "dpo", "analyst",
            "business"]


def _items(world):
    """An original graded P, one graded C for the police, one not graded: what each persona
    may read (the Hub's agency is social care; police have an agreement, housing do not)."""
    social_care, police = (Agency.objects.get(slug=s) for s in ("social-care", "police"))
    AgreementFactory(provider=social_care, recipient=police, categories=["intelligence"],
                     purposes=["direct_work"], state="approved")
    p_item = submitted(world)
    graded(world, p_item, code="P")
    c_item = submitted(world, account="A phone number passed round at the youth club.")
    graded(world, c_item, code="C", shared_with=[police])
    ungraded = submitted(world, account="Not graded yet.")
    return {"P": sanitised(world, p_item), "C": sanitised(world, c_item),
            "ungraded": ungraded}


EXPECTED = {  # persona -> (originals, sanitised P, sanitised C)
    "hub": (True, True, True),
    "social_worker": (False, True, False),  # the Hub's agency, but not named in C
    "police": (False, True, True),  # an agreement covering intelligence, and named in C
    "housing": (False, False, False),  # no agreement
    "licensing": (False, False, False),  # raised it, but never reads the originals
    "dpo": (False, False, False),  # audit and subject access, not sharing
    "analyst": (False, False, False),  # aggregates only
    "business": (False, False, False),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_handling_codes_in_the_persona_matrix(client, world, persona):
    items = _items(world)
    user = world.users[persona]
    originals, sees_p, sees_c = EXPECTED[persona]
    seen = set(policy.restrict(user, "list", SanitisedIntelligence.objects.all())
               .values_list("pk", flat=True))
    assert (items["P"].pk in seen, items["C"].pk in seen) == (sees_p, sees_c)
    assert policy.restrict(user, "list", IntelligenceReport.objects.all()).exists() == originals
    signed_in(client, user)
    absent = client.get("/intelligence/shared/999999/")
    for key, allowed in (("P", sees_p), ("C", sees_c)):
        page = client.get(f"/intelligence/shared/{items[key].pk}/")
        assert page.status_code == (200 if allowed else 404)
        if not allowed:  # forbidden looks exactly like absent
            assert without_csrf(page.content.decode()) == without_csrf(
                absent.content.decode().replace("999999", str(items[key].pk)))
    original = client.get(f"/intelligence/reports/{items['ungraded'].pk}/")
    assert original.status_code == (200 if originals else 404)
    listing = client.get("/intelligence/shared/").content.decode()
    assert ("Licensing Tester" in listing) is False  # who raised it is never on what is shared


def test_an_ungraded_item_is_shared_with_nobody_but_the_graders(world):
    report = submitted(world)
    for persona in PERSONAS:
        rows = policy.restrict(world.users[persona], "list",
                               IntelligenceReport.objects.filter(pk=report.pk))
        assert rows.exists() == (persona == "hub")


def test_an_ended_agreement_stops_sharing_on_the_next_request(world):
    items = _items(world)
    police = world.users["police"]
    assert policy.restrict(police, "view", SanitisedIntelligence.objects.filter(
        pk=items["P"].pk)).exists()
    InformationSharingAgreement.objects.update(ends_on=dt.date(2026, 3, 1))
    assert not policy.restrict(police, "view", SanitisedIntelligence.objects.filter(
        pk=items["P"].pk)).exists()
