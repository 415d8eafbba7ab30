"""Ethnicity as partners send it: optional, an ONS 2021 group or "not_recorded", dated; a bad
value names the field; the person's is the most recently recorded of their identities'."""

import datetime as dt

import pytest
from django.test import Client

from saferoptions.core import clock
from saferoptions.core.models import Agency
from saferoptions.feeds import services
from saferoptions.feeds.flat import columns
from saferoptions.feeds.models import InboxMessage
from saferoptions.people import ethnicity
from saferoptions.people.models import Identity
from tests.people.factories import IdentityFactory, PersonFactory

from .factories import message, partner, post, young_person
from .test_bad_input import _csv, good_row

pytestmark = pytest.mark.django_db


def _send(token, person):
    return post(Client(), token, "ed_assault", message("ed_assault", referral=person))


def test_a_recorded_group_is_kept_on_the_agencys_record_and_dated():
    _, token = partner()
    response = _send(token, young_person("ED1", ethnicity="black_caribbean"))
    assert response.status_code == 202, response.content
    identity = Identity.objects.get(source_id="ED1")
    assert identity.ethnicity == "black_caribbean"
    assert identity.ethnicity_recorded_at is not None


def test_left_out_it_is_not_recorded_and_not_recorded_never_overwrites_a_group():
    _, token = partner()
    assert _send(token, young_person("ED2")).status_code == 202
    assert Identity.objects.get(source_id="ED2").ethnicity == "not_recorded"
    _send(token, young_person("ED2", ethnicity="asian_indian"))
    _send(token, young_person("ED2", ethnicity="not_recorded"))
    assert Identity.objects.get(source_id="ED2").ethnicity == "asian_indian"


def test_a_bad_value_is_quarantined_naming_the_field():
    _, token = partner()
    response = _send(token, young_person("ED3", ethnicity="martian"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["referral.ethnicity"]
    assert errors[0]["reason"] == "is not one of the allowed values"  # never echoes the value
    assert InboxMessage.objects.get().status == "quarantined"


def test_a_file_may_leave_the_column_out_or_fill_it_and_a_bad_value_names_it():
    def rows(**person):
        return good_row(1, person_source_id="C1", person_role="subject", **person)

    header = [c for c in columns("community_concern") if c != "person_ethnicity"]
    agency = Agency.objects.get(slug="community")
    without = services.import_file(agency=agency, feed_type="community_concern",
                                   filename="a.csv",
                                   content=_csv("community_concern", [rows()], header))
    assert without.messages.get().status != "quarantined"
    bad = services.import_file(
        agency=agency, feed_type="community_concern", filename="b.csv",
        content=_csv("community_concern", [{**rows(person_ethnicity="purple"),
                                            "idempotency_key": "row-9"}]))
    # named as the file's column, the heading the partner sees in their spreadsheet
    assert {e["field"] for e in bad.messages.get().errors} == {"person_ethnicity"}
    good = services.import_file(
        agency=agency, feed_type="community_concern", filename="c.csv",
        content=_csv("community_concern", [{**rows(person_ethnicity="white_roma"),
                                            "idempotency_key": "row-10"}]))
    assert good.messages.get().status != "quarantined"
    assert Identity.objects.get(source_id="C1").ethnicity == "white_roma"


def test_the_persons_ethnicity_is_the_most_recently_recorded():
    person = PersonFactory()
    assert ethnicity.of(person) == "not_recorded"
    now = clock.now()
    IdentityFactory(person=person, ethnicity="white_british",
                    ethnicity_recorded_at=now - dt.timedelta(days=30))
    IdentityFactory(person=person, ethnicity="mixed_white_asian",
                    ethnicity_recorded_at=now - dt.timedelta(days=2))
    IdentityFactory(person=person)  # a later record that holds none says nothing
    assert ethnicity.of(person) == "mixed_white_asian"
