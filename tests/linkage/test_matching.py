"""Matching an identity arriving in a feed against the linked identities in the database."""

import pytest

from saferoptions.linkage import matching
from saferoptions.linkage.services import link_all_identities
from saferoptions.people.models import Identity

from .factories import identity_from, synthetic_identities

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    matching._index.clear()
    yield
    matching._index.clear()


def test_no_model_yet_means_no_candidates():
    arriving = identity_from({"record_id": "F1", "first_name": "Jayden", "last_name": "Smith",
                              "dob": "2010-03-04", "postcode": "BS1 4DJ"})
    assert matching.match_identity(arriving) == []


def test_an_arriving_identity_finds_the_person_of_its_other_records():
    truth = synthetic_identities(people=40, seed=3)
    link_all_identities()
    known = Identity.objects.filter(pk__in=truth, person__isnull=False).exclude(
        nhs_number="").exclude(date_of_birth=None).first()
    arriving = identity_from({
        "record_id": "FEED-1", "source": "health", "first_name": known.given_name.upper(),
        "last_name": known.family_name, "dob": known.date_of_birth.strftime("%d/%m/%Y"),
        "nhs_number": known.nhs_number, "sex": known.sex,
    })
    best = matching.match_identity(arriving)[0]
    assert best.person_id == known.person_id
    assert best.decision == "link"
    # A record linked after the index was built is found too.
    xanthe = {"first_name": "Xanthe", "last_name": "Quillfeather", "dob": "2011-02-03",
              "postcode": "BS9 9ZZ", "sex": "F"}
    later = identity_from({**xanthe, "record_id": "FEED-2", "source": "school"})
    later.person_id = known.person_id
    later.save()
    again = identity_from({**xanthe, "record_id": "FEED-3", "source": "police"})
    assert [c.person_id for c in matching.match_identity(again)] == [known.person_id]
