"""The live demo's messages: every synthetic city event the feeds can carry is a valid message."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saferoptions.city.feed_messages import to_message
from saferoptions.city.generator import generate
from saferoptions.core import clock
from saferoptions.feeds.checking import validate


@pytest.mark.django_db
def test_every_replayed_city_event_passes_its_feeds_schema():
    # A fixed period, checked a month after it ends: late reports are in the past, on any date.
    city = generate(children=150, seed=7, months=3, start=dt.date(2026, 6, 1))
    checked = 0
    with clock.frozen(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)):
        results = [(event, to_message(city, event)) for event in city.events]
        results = [(event, validate(event.event_type, message)[1])
                   for event, message in results if message is not None]
    for event, errors in results:
        # The city mistypes some NHS numbers on purpose: those messages are quarantined.
        assert all(e["field"].endswith("nhs_number") for e in errors), (event.event_type, errors)
        checked += not errors
    # School incidents of kinds the school feed has no word for are not sent.
    assert checked > len(city.events) * 0.75


@pytest.mark.django_db
def test_the_replay_command_refuses_a_rate_of_nothing_before_it_builds_a_city():
    with pytest.raises(CommandError, match="rate"):
        call_command("replay", "--rate", "0")
