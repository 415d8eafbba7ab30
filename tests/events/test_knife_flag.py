"""An event holding a knife is flagged whichever way its objects arrive, so the dashboards'
knife rule (a knife category or a knife among the objects) can use an index."""

import pytest

from saferoptions.events.models import Event, EventObject
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def _flag(event) -> bool:
    return Event.objects.get(pk=event.pk).knife_among_objects


def test_an_event_with_no_objects_holds_no_knife():
    assert not _flag(EventFactory())


def test_a_knife_recorded_alone_flags_its_event():
    event = EventFactory()
    EventObject.objects.create(event=event, kind="knife", description="Lock knife")
    assert _flag(event)


def test_knives_written_together_flag_only_their_events():
    armed, other = EventFactory(), EventFactory()
    EventObject.objects.bulk_create([EventObject(event=armed, kind="knife"),
                                     EventObject(event=other, kind="phone"),
                                     EventObject(event=other, kind="drugs")])
    assert _flag(armed) and not _flag(other)


def test_other_objects_flag_nothing():
    event = EventFactory()
    EventObject.objects.get_or_create(event=event, kind="weapon", description="Bat")
    assert not _flag(event)
