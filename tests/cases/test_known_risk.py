"""What is known about a child: only records the viewer may see, each with weight and date."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.access import policy
from saferoptions.cases.selectors.child import case_summary
from saferoptions.events.models import Event
from tests.contexts.factories import (
    ContextCaseFactory,
    GroupFactory,
    MembershipFactory,
)
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import IdentityFactory, PersonFactory, RelationshipFactory

from .conftest import police_event
from .factories import ConcernFactory

pytestmark = pytest.mark.django_db
COUNTED = {"missing_episode", "stop_search", "police_incident", "ed_assault"}


def _at(day: int, month: int = 2) -> dt.datetime:
    return dt.datetime(2026, month, day, 20, 0, tzinfo=dt.UTC)


@pytest.fixture
def records(world):
    """Police, missing and social care events about the child, in and out of their windows."""
    w = world
    made = {
        "search": police_event(w, w.child, occurred_at=_at(20)),
        "incident": police_event(w, w.child, event_type="police_incident",
                                 category="violence", occurred_at=_at(10, 1)),
        "missing": police_event(w, w.child, event_type="missing_episode", category="missing",
                                occurred_at=_at(25)),
        "old_missing": police_event(w, w.child, event_type="missing_episode",
                                    category="missing", occurred_at=_at(1, 11).replace(year=2025)),
        "licensing": EventFactory(reporting_agency=w.agencies["licensing"],
                                  event_type="licensing_report", category="premises",
                                  occurred_at=_at(21)),
    }
    InvolvementFactory(event=made["licensing"], person=w.child, role="associate")
    return made


def _expected(user, child) -> set:
    """Independently: the child's events the policy lets `user` view, of a counted kind, in
    their window (missing episodes 90 days, the rest 365) on Monday 2 March 2026."""
    visible = policy.restrict(user, "view", Event.objects.filter(
        involvements__person=child))
    today = dt.date(2026, 3, 2)
    keep = set()
    for e in visible:
        window = 90 if e.event_type == "missing_episode" else 365
        if e.event_type in COUNTED and today - dt.timedelta(days=window) < e.occurred_at.date():
            keep.add(e.pk)
    return keep


@pytest.mark.parametrize("viewer", ["social_worker", "lead"])
def test_the_items_are_the_events_the_policy_lets_this_viewer_see(world, records, viewer):
    user = world.users[viewer]
    known = case_summary(user=user, public_id=world.child.public_id).known
    shown = {i.record.record_id for i in known.items if i.record.record_type == "event"}
    assert shown == _expected(user, world.child)
    assert known.total == sum(i.weight for i in known.items)
    for item in known.items:
        assert item.record.on <= dt.date(2026, 3, 2)
        assert item.weight == item.indicator.weight


def test_the_social_worker_sees_police_and_missing_items_with_weights(world, records):
    known = case_summary(user=world.users["social_worker"], public_id=world.child.public_id).known
    found = {(i.indicator.key, i.record.record_id, i.record.on, i.weight) for i in known.items}
    assert found == {("police_contact", records["search"].pk, dt.date(2026, 2, 20), 1),
                     ("police_contact", records["incident"].pk, dt.date(2026, 1, 10), 1),
                     ("missing", records["missing"].pk, dt.date(2026, 2, 25), 3)}
    assert known.total == 5


def test_a_viewer_who_may_not_see_police_records_gets_no_police_item(client, world, records):
    lead = world.users["lead"]  # Barnardo's: no agreement with the police
    known = case_summary(user=lead, public_id=world.child.public_id).known
    assert known.items == [] and known.total == 0
    client.force_login(lead)
    body = client.get(reverse("cases:child", args=[world.child.public_id])).content.decode()
    assert "What is known" in body and "based on what you may see" in body.lower()
    assert records["search"].source_reference not in body
    assert "Stop and search (weapon)" not in body
    client.force_login(world.users["social_worker"])
    body = client.get(reverse("cases:child", args=[world.child.public_id])).content.decode()
    # Plain words (what, recorded by whom); the agency's own reference number is not shown.
    assert "Stop and search (weapon), recorded by" in body
    assert records["search"].source_reference not in body
    assert "weights adding up to 5" in body


def test_no_label_or_band_is_shown(client, world, records):
    client.force_login(world.users["social_worker"])
    body = client.get(reverse("cases:child", args=[world.child.public_id])).content.decode()
    section = body.split('id="what-is-known"')[1].split("Smaller concerns adding up")[0].lower()
    for word in ("high risk", "medium risk", "low risk", "risk band", "red", "amber", "green"):
        assert word not in section


def test_a_tie_to_someone_in_a_group_under_an_open_case_counts_without_naming_them(world):
    w = world
    friend = PersonFactory(given_name="Oluwaseun", family_name="Brightwater")
    RelationshipFactory(identity=IdentityFactory(person=w.child, agency=w.agencies["social_care"]),
                        other_identity=IdentityFactory(person=friend,
                                                       agency=w.agencies["social_care"]),
                        kind="associate", detail="", start_date=dt.date(2025, 12, 1))
    group = GroupFactory(name="The Lawrence Hill boys")
    MembershipFactory(group=group, person=friend, source=w.agencies["social_care"])
    case = ContextCaseFactory(kind="group", place=None, group=group,
                              opened_at=dt.datetime(2026, 1, 15, 9, tzinfo=dt.UTC))
    hub = w.users["hub"]
    assert policy.restrict(hub, "list", type(case).objects.filter(pk=case.pk)).exists()
    ConcernFactory(person=w.child, locality=w.north)  # the Hub triages the child's concern
    known = case_summary(user=hub, public_id=w.child.public_id).known
    ties = [i for i in known.items if i.record.record_type == "tie"]
    assert [(i.indicator.key, i.record.on) for i in ties] == [("group_tie", dt.date(2026, 1, 15))]
    assert "The Lawrence Hill boys" in ties[0].record.description
    assert "Oluwaseun" not in ties[0].record.description
    case.status = "closed"
    case.save()
    known = case_summary(user=hub, public_id=w.child.public_id).known
    assert not [i for i in known.items if i.record.record_type == "tie"]


def test_a_missing_episode_reads_once_not_missing_episode_missing(client, world, records):
    # Records read "Missing episode (Missing)": the category only repeated the type.
    client.force_login(world.users["social_worker"])
    pages = [reverse("cases:child", args=[world.child.public_id]),
             reverse("cases:chronology", args=[world.child.public_id])]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Missing episode" in body, url
        assert "Missing episode (missing)" not in body.replace("(Missing)", "(missing)"), url
    # A category that says something the type does not is still shown.
    assert "Stop and search (weapon), recorded by" in client.get(pages[0]).content.decode()


def test_smaller_concerns_fold_after_ten_and_say_why_their_weights_differ(client, world):
    # The list ran to ~50 lines, and a stop and search weighed 1 under "What is known" and 2
    # here with nothing saying why: they are two configured scores for two purposes.
    for day in range(1, 13):
        police_event(world, world.child, occurred_at=_at(day))
    client.force_login(world.users["social_worker"])
    body = client.get(reverse("cases:child", args=[world.child.public_id])).content.decode()
    section = body.split('id="smaller-concerns"')[1].split("<h2")[0]
    first, rest = section.split('id="smaller-concerns-rest"')
    assert first.count("Stop and search") == 10 and rest.count("Stop and search") == 2
    assert "Show the other 2 items" in rest
    assert "weigh differently here than under" in section
    known = body.split('id="what-is-known"')[1].split('id="smaller-concerns"')[0]
    assert "weighs records its own way" in known
