"""Who a report is about: candidates from the linkage matcher, offered as the policy allows."""

import datetime as dt

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Agency, Locality
from saferoptions.intelligence import candidates, services
from saferoptions.intelligence.models import IntelligenceLink, PoleEntity
from saferoptions.linkage import matching
from saferoptions.linkage.models import LinkageModel
from tests.access.factories import AgreementFactory
from tests.people.factories import IdentityFactory, PersonFactory

from .conftest import signed_in
from .helpers import graded, sanitised, submitted
from .matcher import linkage_model

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def matcher_in_force(db):
    linkage_model()
    yield
    matching._index.clear()


def _on_record(person, postcode="BS5 6XY"):
    """The police hold a record of the child, linked to them (what the matcher indexes), and
    share who the child is with the Hub's agency, as the partnership's agreements do
    (access/partnership.py): a child is offered only by a name the Hub may see."""
    police = Agency.objects.get(slug="police")
    AgreementFactory(provider=police, recipient=Agency.objects.get(slug="social-care"),
                     categories=["identity"], purposes=["triage", "direct_work"])
    return IdentityFactory(person=person, agency=police,
                           given_name=person.given_name, family_name=person.family_name,
                           date_of_birth=person.date_of_birth, postcode=postcode,
                           address="12 Elm Road", nhs_number="")


def _about(world, name, *, born="2011-05-03", postcode="BS5 6XY"):
    report = submitted(world, entities=[
        {"kind": "person", "name": name, "description": "about 14",
         "date_of_birth": dt.date.fromisoformat(born) if born else None, "postcode": postcode},
        {"kind": "object", "object_kind": "phone", "identifier": "07700 900123"},
    ])
    graded(world, report)
    return report


def _page(client, world, report) -> str:
    signed_in(client, world.users["hub"])
    page = client.get(f"/intelligence/reports/{report.pk}/")
    assert page.status_code == 200
    return page.content.decode()


def test_a_report_describing_a_known_child_offers_them_as_very_likely(client, world):
    _on_record(world.child)
    report = _about(world, "Tyrese Campbell-Okoro")
    [offer] = candidates.offers_for(world.users["hub"], report)
    assert offer.person == world.child and offer.sure and offer.probability >= 0.99
    assert set(offer.agree) == {"first name", "last name", "date of birth", "home"}
    assert offer.differ == ()
    body = _page(client, world, report)
    assert "Very likely the same child" in body and "Tyrese Campbell-Okoro" in body
    assert f'name="person" value="{world.child.public_id}"' in body
    # The offer reads the child: audited with their id only.
    entry = AuditEntry.objects.filter(action="intelligence_candidates").last()
    assert (entry.object_type, entry.object_ids) == ("person", [str(world.child.pk)])


def test_a_near_miss_is_offered_as_possible_with_what_differs(client, world):
    _on_record(world.child)
    report = _about(world, "Tyrese Campbel-Okoro")  # one l
    [offer] = candidates.offers_for(world.users["hub"], report)
    assert offer.person == world.child and not offer.sure
    assert 0.3 <= offer.probability < 0.99
    assert "last name: spelt nearly the same" in offer.differ
    body = _page(client, world, report)
    assert "Possibly the same child: check before linking" in body
    assert "Very likely" not in body
    assert "Last name: spelt nearly the same" in body


def test_nobody_below_the_review_probability_is_offered(world):
    _on_record(world.child)
    # Same first name and postcode district only: a different child.
    report = _about(world, "Tyrese Walker", born="2009-11-30", postcode="BS5 0AA")
    assert candidates.offers_for(world.users["hub"], report) == []


def test_a_child_outside_the_analysts_scope_is_not_offered_not_even_counted(client, world):
    hub = world.users["hub"]
    hub.locality = Locality.objects.get(slug="north")
    hub.save()
    elsewhere = PersonFactory(given_name="Ola", family_name="Farrington",
                              date_of_birth=dt.date(2012, 2, 2),
                              locality=Locality.objects.get(slug="south"))
    _on_record(elsewhere)
    report = _about(world, "Ola Farrington", born="2012-02-02")
    assert matching.match_record({"first_name": "Ola", "last_name": "Farrington",
                                  "dob": dt.date(2012, 2, 2), "postcode": "BS5 6XY"})
    assert candidates.offers_for(hub, report) == []
    body = _page(client, world, report)
    assert "Farrington" in body  # the entry as the reporter wrote it, on the original
    assert "No child you may see (beyond any linked above) matches the people described." in body
    assert str(elsewhere.public_id) not in body
    assert "check before linking" not in body and "Very likely" not in body
    assert not AuditEntry.objects.filter(action="intelligence_candidates").exists()


def test_linking_an_offered_child_is_the_analysts_explicit_audited_act(client, world):
    _on_record(world.child)
    report = _about(world, "Tyrese Campbell-Okoro")
    assert not report.links.exists()  # offering links nothing
    signed_in(client, world.users["hub"])
    done = client.post(f"/intelligence/reports/{report.pk}/link/",
                       {"person": str(world.child.public_id)})
    assert done.status_code == 302
    assert IntelligenceLink.objects.get(report=report).person == world.child
    assert AuditEntry.objects.filter(action="intelligence_linked").exists()
    assert candidates.offers_for(world.users["hub"], report) == []  # already linked
    assert "Linked" in client.get(done.url).content.decode()


def test_a_report_with_no_person_details_has_no_candidates_and_no_error(client, world):
    _on_record(world.child)
    bare = submitted(world, entities=[])
    nickname = submitted(world)  # "Big Mo", about 30: a nickname, nothing else
    assert candidates.offers_for(world.users["hub"], bare) == []
    assert candidates.offers_for(world.users["hub"], nickname) == []
    assert "Children this may be about" not in _page(client, world, bare)
    assert "No child you may see (beyond any linked above)" in _page(client, world, nickname)
    public = _page(client, world, submitted(world, entities=[{"kind": "person", "name": "Ty"}]))
    assert "Tyrese" not in public


def test_no_model_trained_yet_means_no_candidates(client, world):
    LinkageModel.objects.all().delete()
    matching._index.clear()
    _on_record(world.child)
    report = _about(world, "Tyrese Campbell-Okoro")
    assert candidates.offers_for(world.users["hub"], report) == []
    assert "No child you may see (beyond any linked above)" in _page(client, world, report)


def test_a_merged_childs_survivor_is_offered(world):
    survivor = PersonFactory(given_name="Tyrese", family_name="Campbell-Okoro",
                             date_of_birth=dt.date(2011, 5, 3), locality=world.child.locality)
    _on_record(world.child)
    world.child.merged_into = survivor
    world.child.save()
    report = _about(world, "Tyrese Campbell-Okoro")
    offered = [o.person for o in candidates.offers_for(world.users["hub"], report)]
    assert offered == [survivor]


# --- a person's date of birth and postcode: for matching, never shared -----------------------

def _submit(client, **entity):
    data = {"account": "A boy is given phones at the takeaway.", "place": "",
            "place_not_listed": "Behind the bus station", "when_seen": "",
            "entity-TOTAL_FORMS": "1", "entity-INITIAL_FORMS": "0",
            "entity-MIN_NUM_FORMS": "0", "entity-MAX_NUM_FORMS": "10",
            "entity-0-kind": "person", "entity-0-object_kind": "", "entity-0-name": "",
            "entity-0-identifier": "", "entity-0-description": "",
            "entity-0-date_of_birth": "", "entity-0-postcode": ""}
    data.update({f"entity-0-{k}": v for k, v in entity.items()})
    return client.post("/intelligence/submit/", data)


def test_a_partner_gives_a_persons_date_of_birth_and_postcode(client, world):
    signed_in(client, world.users["licensing"])
    bad = _submit(client, name="Tyrese C", date_of_birth="31/02/2011", postcode="BS5")
    assert bad.status_code == 400
    assert "Enter a date of birth like 3/5/2011" in bad.content.decode()
    assert "Enter a full postcode like BS5 6XY" in bad.content.decode()
    assert _submit(client, name="Tyrese C", date_of_birth="3/5/2011",
                   postcode="bs56xy").status_code == 302
    entity = PoleEntity.objects.get()
    assert (entity.date_of_birth, entity.postcode) == (dt.date(2011, 5, 3), "BS5 6XY")
    # A vehicle has neither.
    _submit(client, kind="object", object_kind="vehicle", identifier="WX19 KLM",
            date_of_birth="3/5/2011", postcode="BS5 6XY")
    vehicle = PoleEntity.objects.get(kind="object")
    assert (vehicle.date_of_birth, vehicle.postcode) == (None, "")


@pytest.mark.parametrize("summary", ["A boy born 3/5/2011 is given phones.",
                                     "A boy born 03/05/2011 is given phones.",
                                     "A boy born 3 May 2011 is given phones.",
                                     "A boy living in BS5 6XY is given phones.",
                                     "A boy living in bs56xy is given phones."])
def test_a_summary_repeating_a_persons_date_of_birth_or_postcode_is_refused(world, summary):
    report = _about(world, "Tyrese Campbell-Okoro")
    with pytest.raises(services.Refused):
        sanitised(world, report, summary=summary)


def test_the_version_to_share_never_carries_a_date_of_birth_or_postcode(client, world):
    report = _about(world, "Tyrese Campbell-Okoro")
    person = report.entities.get(kind="person")
    item = sanitised(world, report, summary="A boy is given phones at a takeaway.",
                     kept={person.pk: {"name", "identifier", "description"}})
    signed_in(client, world.users["social_worker"])
    page = client.get(f"/intelligence/shared/{item.pk}/").content.decode()
    assert "Tyrese Campbell-Okoro" in page  # the name was kept
    assert "BS5 6XY" not in page and "2011" not in page
