"""Every clock from its trigger to the child's page, "my work" and the overdue list."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from saferoptions.cases import services
from saferoptions.cases.models import StatutoryClock
from saferoptions.core import clock
from tests.contexts.factories import PlaceFactory
from tests.events.factories import EventFactory

from .conftest import police_event

pytestmark = pytest.mark.django_db


def _due_day(kind, person):
    return timezone.localdate(StatutoryClock.objects.get(kind=kind, person=person).due_at)


def test_strategy_discussion_then_conferences_then_core_group(world):
    worker, child = world.users["social_worker"], world.child
    services.record_meeting(actor=worker, person=child, kind="strategy_discussion",
                            held_on=dt.date(2026, 2, 27), discussion="Threshold met")
    assert _due_day("initial_conference", child) == dt.date(2026, 3, 20)  # 15 working days
    services.record_meeting(actor=worker, person=child, kind="initial_conference",
                            held_on=dt.date(2026, 3, 2), discussion="CP plan agreed")
    conference = StatutoryClock.objects.get(kind="initial_conference", person=child)
    assert conference.met_at is not None and conference.state.label == "Met"
    assert _due_day("core_group", child) == dt.date(2026, 3, 16)  # 10 working days
    assert _due_day("review_conference", child) == dt.date(2026, 6, 2)  # 3 months
    with clock.frozen(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)):
        services.record_meeting(actor=worker, person=child, kind="review_conference",
                                held_on=dt.date(2026, 6, 1), discussion="Plan continues")
    later = StatutoryClock.objects.filter(kind="review_conference", met_at__isnull=True).get()
    assert timezone.localdate(later.due_at) == dt.date(2026, 12, 1)  # then every 6 months


def test_a_meeting_in_the_future_or_without_notes_is_refused(world):
    for kwargs, field in [({"held_on": dt.date(2026, 3, 9), "discussion": "x"}, "held_on"),
                          ({"held_on": dt.date(2026, 3, 2), "discussion": " "}, "discussion"),
                          ({"held_on": dt.date(2026, 3, 2), "discussion": "x", "kind": "party"},
                           "kind")]:
        kwargs.setdefault("kind", "core_group")
        with pytest.raises(services.Refused) as refused:
            services.record_meeting(actor=world.users["social_worker"], person=world.child,
                                    **kwargs)
        assert refused.value.field == field


def _missing(w, returned):
    went = dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)
    return EventFactory(event_type="missing_episode", category="missing",
                        reporting_agency=w.agencies["police"], occurred_at=went,
                        ended_at=returned)


def test_return_home_interview_due_72_hours_after_return_once_per_episode(world):
    returned = dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)
    event = _missing(world, returned)
    first = services.open_return_home_interview(event=event, person=world.child,
                                                owner=world.users["lead"])
    again = services.open_return_home_interview(event=event, person=world.child)
    assert first.pk == again.pk and first.due_at == returned + dt.timedelta(hours=72)
    with pytest.raises(services.Refused) as refused:
        services.record_return_home_interview(
            actor=world.users["lead"], clock_row=first,
            held_at=dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC))
    assert refused.value.field == "held_at"  # in the future (now is 2 March)
    with clock.frozen(dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC)):
        with pytest.raises(services.Refused) as late:
            services.record_return_home_interview(
                actor=world.users["lead"], clock_row=first,
                held_at=dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC))
        assert late.value.field == "late_reason"
        met = services.record_return_home_interview(
            actor=world.users["lead"], clock_row=first,
            held_at=dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC), late_reason="Could not reach her")
    assert met.state.label == "Met late"


def test_a_child_still_missing_has_no_interview_clock_yet(world):
    event = _missing(world, None)
    assert services.open_return_home_interview(event=event, person=world.child) is None


def test_nrm_reasonable_then_conclusive_grounds(world):
    worker = world.users["social_worker"]
    referral = services.record_nrm_referral(actor=worker, person=world.child,
                                            referred_on=dt.date(2026, 2, 25))
    assert _due_day("nrm_reasonable_grounds", world.child) == dt.date(2026, 3, 4)
    services.record_nrm_decision(actor=worker, referral=referral, stage="reasonable",
                                 decided_on=dt.date(2026, 3, 2), outcome="positive")
    assert StatutoryClock.objects.get(kind="nrm_reasonable_grounds").met_at is not None
    assert _due_day("nrm_conclusive_grounds", world.child) == dt.date(2026, 4, 16)
    with pytest.raises(services.Refused):
        services.record_nrm_decision(actor=worker, referral=referral, stage="conclusive",
                                     decided_on=dt.date(2026, 1, 1), outcome="positive")


def _page(client, user, name, *args):
    client.force_login(user)
    return html.unescape(client.get(reverse(name, args=args)).content.decode())


def test_clocks_show_on_the_child_my_work_and_the_overdue_list_in_words(client, world):
    worker = world.users["social_worker"]
    services.record_meeting(actor=worker, person=world.child, kind="strategy_discussion",
                            held_on=dt.date(2026, 2, 2), discussion="Threshold met")
    # 15 working days from 2 Feb is 23 Feb: overdue on 2 March.
    child_page = _page(client, worker, "cases:child", world.child.public_id)
    assert "Initial child protection conference" in child_page and "Overdue" in child_page
    my_work = _page(client, worker, "cases:my-work")
    assert "Initial child protection conference" in my_work and "Overdue" in my_work
    overdue = _page(client, world.users["manager"], "cases:overdue")
    assert "Amara Okafor" in overdue and "Overdue" in overdue
    client.force_login(world.users["lead"])  # not a manager: the list is not there for them
    assert client.get(reverse("cases:overdue")).status_code == 404


def test_the_overdue_list_holds_only_children_the_manager_may_see(client, world):
    services.record_nrm_referral(actor=world.users["outsider"], person=world.other,
                                 referred_on=dt.date(2026, 2, 2))
    overdue = _page(client, world.users["manager"], "cases:overdue")
    assert "Quillfeather" not in overdue


def test_each_interview_clock_names_its_missing_episode_where_the_viewer_may_see_it(
        client, world):
    # A child with two open interview clocks showed two identical rows: nobody could tell which
    # interview was for which episode.
    worker = world.users["social_worker"]
    park = PlaceFactory(name="Castle Park")
    for day, place in ((27, park), (28, None)):
        event = police_event(world, world.child, event_type="missing_episode",
                             category="missing", place=place,
                             occurred_at=dt.datetime(2026, 2, day, 12, tzinfo=dt.UTC),
                             ended_at=dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC))
        services.open_return_home_interview(event=event, person=world.child, owner=worker)
    for page in (_page(client, worker, "cases:child", world.child.public_id),
                 _page(client, worker, "cases:my-work")):
        assert "missing episode of 27 Feb 2026 12:00 at Castle Park" in page
        assert "missing episode of 28 Feb 2026 12:00<" in page
    # Barnardo's may not see police records: the clocks show, their episodes do not.
    lead_page = _page(client, world.users["lead"], "cases:child", world.child.public_id)
    assert "Return home interview" in lead_page
    assert "missing episode of" not in lead_page and "Castle Park" not in lead_page
