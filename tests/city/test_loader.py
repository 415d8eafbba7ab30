"""Loading a generated city into the database, and removing it again."""

import h3
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import ProtectedError

from saferoptions.city.loader import load_city
from saferoptions.city.models import SyntheticCity
from saferoptions.city.removal import remove_city
from saferoptions.contexts.models import Place, School
from saferoptions.core.models import Agency
from saferoptions.events.models import Event, EventObject, Involvement
from saferoptions.people.models import Identity, Relationship

pytestmark = pytest.mark.django_db

Events = Event.objects


def test_every_row_of_the_city_arrives(city):
    loaded = load_city(city)
    counts = city.counts()
    assert Identity.objects.count() == counts["identities"]
    assert Events.count() == counts["events"]
    assert Involvement.objects.count() == counts["involvements"]
    assert EventObject.objects.count() == counts["objects"]
    assert Relationship.objects.count() == counts["relationships"]
    assert School.objects.count() == counts["schools"]
    assert Place.objects.count() == counts["places"]
    assert loaded.counts["events"] == counts["events"]


def test_identities_arrive_unlinked_with_their_own_agency_and_school(city):
    load_city(city)
    assert not Identity.objects.exclude(person=None).exists()
    assert not Involvement.objects.exclude(person=None).exists()
    education = Agency.objects.get(slug="education")
    on_roll = Identity.objects.filter(agency=education)
    assert on_roll.exists() and not on_roll.filter(school=None).exists()
    assert not Identity.objects.exclude(agency=education).exclude(school=None).exists()
    sample = city.identities[5]
    stored = Identity.objects.get(agency__slug=sample.agency_slug, source_id=sample.source_id)
    assert (stored.given_name, stored.family_name, stored.date_of_birth, stored.nhs_number) == (
        sample.given_name, sample.family_name, sample.date_of_birth, sample.nhs_number)


def test_events_keep_their_times_places_and_people(city):
    load_city(city)
    sample = next(e for e in city.events if e.event_type == "missing_episode" and e.place)
    stored = Events.get(reporting_agency__slug="police", source_reference=sample.source_reference)
    assert stored.occurred_at == sample.occurred_at and stored.ended_at == sample.ended_at
    assert stored.place.name == city.places[sample.place].name
    roles = sorted(stored.involvements.values_list("role", flat=True))
    assert roles == sorted(role for _i, role in sample.involvements)
    assert Events.filter(occurred_at__gte=sample.occurred_at).count() > 0


def test_places_are_on_the_h3_grid(city):
    load_city(city)
    place = Place.objects.first()
    assert place.h3_cell == h3.latlng_to_cell(place.latitude, place.longitude,
                                              settings.H3_RESOLUTION)


def test_new_rows_after_loading_get_fresh_ids(city):
    load_city(city)
    agency = Agency.objects.get(slug="police")
    identity = Identity.objects.create(agency=agency, source_id="NEW-1", given_name="Test")
    assert identity.pk > max(Identity.objects.exclude(pk=identity.pk).values_list("pk", flat=True))


def test_no_table_holds_the_truth(city):
    load_city(city)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            columns = [c.name for c in connection.introspection.get_table_description(cursor,
                                                                                       table)]
            assert not [c for c in columns if "true" in c or "exploit" in c], table
    keys = {p.key for p in city.people}
    stored = set(Identity.objects.values_list("source_id", flat=True))
    stored |= set(Events.values_list("source_reference", flat=True))
    stored |= set(Events.values_list("summary", flat=True))
    assert not keys & stored
    assert not any(p.key in text for text in Events.values_list("summary", flat=True)[:500]
                   for p in city.people[:50])


def test_removing_the_city_leaves_nothing_of_it(city):
    loaded = load_city(city)
    agency = Agency.objects.get(slug="police")
    other = Identity.objects.create(agency=agency, source_id="NOT-SYNTHETIC")
    remove_city(loaded)
    assert list(Identity.objects.all()) == [other]
    assert not Events.exists() and not Place.objects.exists() and not School.objects.exists()
    assert not SyntheticCity.objects.exists()


def test_removal_refuses_while_other_records_depend_on_the_city(city):
    loaded = load_city(city)
    police = Agency.objects.get(slug="police")
    identity = Identity.objects.filter(agency=police).first()
    event = Events.create(event_type="police_incident", category="other", reporting_agency=police,
                          source_reference="LIVE-1", occurred_at=identity.recorded_at,
                          reported_at=identity.recorded_at)
    Involvement.objects.create(event=event, identity=identity, role="witness")
    with pytest.raises(ProtectedError), transaction.atomic():
        remove_city(loaded)
    assert Identity.objects.count() == city.counts()["identities"]


def test_removal_takes_ties_others_recorded_to_the_city_records(city):
    loaded = load_city(city)
    police = Agency.objects.get(slug="police")
    mine = Identity.objects.create(agency=police, source_id="LIVE-2")
    theirs = Identity.objects.filter(agency=police).first()
    Relationship.objects.create(identity=mine, other_identity=theirs, kind="associate",
                                source=police)
    remove_city(loaded)
    assert not Relationship.objects.exists()
    assert list(Identity.objects.all()) == [mine]


def test_events_holding_a_knife_arrive_flagged(city):
    load_city(city)
    armed = set(EventObject.objects.filter(kind="knife").values_list("event_id", flat=True))
    assert armed
    assert set(Event.objects.filter(knife_among_objects=True).values_list("pk", flat=True)) \
        == armed
