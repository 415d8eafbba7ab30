"""A person a feed's record brings in is known by their age that day, as a batch run knows
people: an adult stopped and searched was 'Child (under 18)' until the next run (and, in the
demo, for good: the DPO's review list showed children born in the 1980s)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from saferoptions.core import clock
from saferoptions.linkage.resolution import resolve_identity
from saferoptions.people.ages import kind_for
from tests.people.factories import IdentityFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 10)


@pytest.mark.parametrize(("born", "kind"), [
    (dt.date(2008, 6, 11), "child"),             # 18 tomorrow
    (dt.date(2008, 6, 10), "young_adult"),       # 18 today
    (dt.date(2001, 6, 11), "young_adult"),       # 24
    (dt.date(2001, 6, 10), "adult_of_concern"),  # 25 today
    (dt.date(1984, 2, 3), "adult_of_concern"),
    (None, "child"),                             # no date of birth: taken for a child
])
def test_a_new_person_from_a_feed_is_known_by_their_age(born, kind):
    record = IdentityFactory(person=None, date_of_birth=born)
    with clock.frozen(dt.datetime(2026, 6, 10, 9, 0, tzinfo=ZoneInfo("Europe/London"))):
        person = resolve_identity(actor=None, identity=record).person
    assert person.kind == kind
    assert kind_for(born, TODAY, current="child") == kind  # as a batch run would say

