"""After batch linkage every involvement and tie points at its identity's person, in one
set-based update: changed, newly linked and unlinked alike, and nothing else is written."""

import pytest

from saferoptions.events.models import Involvement
from saferoptions.linkage import services
from saferoptions.people.models import Relationship
from tests.events.factories import InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def test_involvements_follow_their_identitys_person():
    ayla, ben = PersonFactory(), PersonFactory()
    linked, unlinked = IdentityFactory(person=ayla), IdentityFactory(person=None)
    stale = InvolvementFactory(identity=linked, person=ben)  # was Ben's, now Ayla's
    new = InvolvementFactory(identity=linked, person=None)
    orphan = InvolvementFactory(identity=unlinked, person=ben)  # the identity was unlinked
    settled = InvolvementFactory(identity=linked, person=ayla)
    no_identity = InvolvementFactory(identity=None, person=ben)
    assert services._follow_involvements() == 3
    now = {i.pk: i.person_id for i in Involvement.objects.all()}
    assert (now[stale.pk], now[new.pk], now[orphan.pk]) == (ayla.pk, ayla.pk, None)
    assert (now[settled.pk], now[no_identity.pk]) == (ayla.pk, ben.pk)
    assert services._follow_involvements() == 0


def test_ties_follow_both_records_people():
    ayla, ben, cara = PersonFactory(), PersonFactory(), PersonFactory()
    a, b = IdentityFactory(person=ayla), IdentityFactory(person=ben)
    loose = IdentityFactory(person=None)
    tie = RelationshipFactory(identity=a, other_identity=b, person=None, other=cara)
    half = RelationshipFactory(identity=a, other_identity=loose, person=ayla, other=ben)
    settled = RelationshipFactory(identity=a, other_identity=b, person=ayla, other=ben)
    assert services._follow_relationships() == 2
    now = {r.pk: (r.person_id, r.other_id) for r in Relationship.objects.all()}
    assert now[tie.pk] == (ayla.pk, ben.pk) and now[half.pk] == (ayla.pk, None)
    assert now[settled.pk] == (ayla.pk, ben.pk)
    assert services._follow_relationships() == 0
