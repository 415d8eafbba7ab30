"""Every person in a locality: feeds, batch linkage, merges and the Hub by hand place them, and
their open clocks and concerns follow them when they move."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import Concern, ConcernSource, StatutoryClock
from saferoptions.cases.selectors.triage import read_triage_query
from saferoptions.cases.selectors.triage import triage_queue as triage_page
from saferoptions.cases.services import raise_concern, start_clock
from saferoptions.core import clock
from saferoptions.core.identifiers import postcode_outward
from saferoptions.core.models import Agency, Locality, Role, Team
from saferoptions.linkage.merges import merge_persons
from saferoptions.linkage.services import link_all_identities
from saferoptions.people import localities
from saferoptions.people.models import Identity, Person
from saferoptions.people.services import create_person
from tests.core.factories import UserFactory
from tests.feeds.factories import ago, young_person
from tests.linkage.conftest import linkage_model
from tests.linkage.factories import synthetic_identities
from tests.tasks.factories import send

pytestmark = pytest.mark.django_db



def triage_queue(*, user):
    """The concerns on the first page of the user's triage queue, as the Hub sees it."""
    query = read_triage_query(user, QueryDict())
    return [row.concern for row in triage_page(user=user, query=query).paged.found]

def _locality(slug: str) -> Locality:
    return Locality.objects.get(slug=slug)


def _hub(slug: str | None = "east-central"):
    team = Team.objects.get(slug="hub")
    return UserFactory(role=Role.HUB_PRACTITIONER, agency=team.agency, team=team,
                       locality=_locality(slug) if slug else None)


@pytest.fixture(autouse=True)
def _email_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def nobody_like_them(monkeypatch):
    """A trained model that finds no one like the arriving child: the feed makes a new person."""
    linkage_model()
    monkeypatch.setattr("saferoptions.linkage.matching.match_identity", lambda identity: [])


# --- the rule ------------------------------------------------------------------------------

def _at(day: int) -> dt.datetime:
    return dt.datetime(2026, 1, day, 12, tzinfo=dt.UTC)


def test_the_most_recent_complete_postcode_places_and_a_mistyped_later_one_is_passed_over():
    served = localities.served_districts()
    older, newer = localities.Address("BS13 0AA", _at(1)), localities.Address("BS5 6XY", _at(2))
    typo = localities.Address("B5 6", _at(3))
    assert localities.placement([newer, older], served).locality_id == _locality(
        "east-central").pk
    assert localities.placement([older, typo], served).locality_id == _locality("south").pk
    assert localities.placement([typo], served).reason == localities.NOT_A_POSTCODE
    assert localities.placement([], served).reason == localities.NO_POSTCODE
    outside = localities.placement([localities.Address("SW1A 1AA", _at(4)), older], served)
    assert (outside.locality_id, outside.reason) == (None, localities.OUTSIDE)


# --- a child first met through a live feed -------------------------------------------------

def test_a_new_child_from_a_missing_episode_feed_is_in_their_postcodes_locality(
        nobody_like_them):
    child = young_person(source_id="MP-77", given_name="Remi", family_name="Okoro",
                         postcode="BS5 6XY")
    send("missing_episode", occurred_at=ago(days=40), returned_at=ago(days=39), person=child)
    send("missing_episode", occurred_at=ago(days=10), returned_at=ago(days=9), person=child)
    last = send("missing_episode", occurred_at=ago(hours=30), returned_at=ago(hours=2),
                person=child)
    person = Person.objects.get(identities__source_id="MP-77")
    east = _locality("east-central")
    assert person.locality == east
    clocks = StatutoryClock.objects.filter(person=person, kind="return_home_interview")
    assert clocks.count() == 3 and {c.locality for c in clocks} == {east}
    concern = Concern.objects.get(person=person, source=ConcernSource.FEED_RULE)
    assert concern.locality == east and concern.event == last.event
    assert concern in triage_queue(user=_hub("east-central"))
    assert concern not in triage_queue(user=_hub("south"))
    entry = AuditEntry.objects.get(object_type="person", action="create")
    assert entry.actor is None and entry.detail == {"locality": east.pk}


def test_a_return_home_interview_task_and_its_clock_share_a_due_time(nobody_like_them):
    # The return was a day ago; the police system sends it only now.
    sent = send("missing_episode", occurred_at=ago(hours=40), returned_at=ago(hours=24),
                person=young_person(postcode="BS13 0AA"))
    rhi = StatutoryClock.objects.get(kind="return_home_interview")
    task = sent.event.tasks.get(task_type="return_home_interview")
    assert task.due_at == rhi.due_at == sent.event.ended_at + dt.timedelta(hours=72)
    assert rhi.locality == _locality("south")


# --- batch linkage -------------------------------------------------------------------------

def test_people_made_by_batch_linkage_are_in_the_locality_of_their_latest_postcode():
    synthetic_identities(people=40, seed=5)
    run = link_all_identities()
    assert run.counts["persons_created"] > 0
    served = localities.served_districts()
    people = Person.objects.filter(identities__isnull=False).distinct()
    for person in people:
        latest = person.identities.order_by("recorded_at", "pk").exclude(postcode="").last()
        expected = served.get(postcode_outward(latest.postcode)) if latest else None
        if latest and not postcode_outward(latest.postcode):  # a mistyped latest one
            continue
        assert person.locality_id == expected, person.pk
    # Some synthetic records leave the postcode out: most people still have one.
    assert people.filter(locality__isnull=False).count() > people.count() // 2
    assert AuditEntry.objects.filter(object_type="person", action="create",
                                     purpose="batch linkage").exists()


# --- moving --------------------------------------------------------------------------------

def _known_child(postcode="BS5 6XY", source_id="MP-9"):
    police = Agency.objects.get(slug="police")
    identity = Identity(agency=police, source_id=source_id, given_name="Ava",
                        family_name="Jones", date_of_birth=dt.date(2011, 1, 2), postcode=postcode)
    person = create_person(actor=None, identities=[identity], purpose="test",
                           given_name="Ava", family_name="Jones",
                           date_of_birth=dt.date(2011, 1, 2))
    identity.person = person
    identity.save()
    return person


def _open_and_closed_work(person):
    now = clock.now()
    open_clock = start_clock(kind="return_home_interview", key="rhi:open", person=person,
                             started_at=now, due_at=now + dt.timedelta(hours=72))
    met = start_clock(kind="return_home_interview", key="rhi:met", person=person,
                      started_at=now, due_at=now + dt.timedelta(hours=72))
    StatutoryClock.objects.filter(pk=met.pk).update(met_at=now)
    open_concern = raise_concern(person=person, source="practitioner", reason="Seen with older men")
    decided = raise_concern(person=person, source="practitioner", reason="Missed school")
    Concern.objects.filter(pk=decided.pk).update(outcome="no_further_action")
    return open_clock, met, open_concern, decided


def test_a_new_address_from_a_feed_moves_the_child_and_their_open_work():
    person = _known_child()
    east, south = _locality("east-central"), _locality("south")
    assert person.locality == east
    open_clock, met, open_concern, decided = _open_and_closed_work(person)
    send("stop_search", person=young_person(source_id="MP-9", given_name="Ava",
                                            family_name="Jones", date_of_birth="2011-01-02",
                                            postcode="BS13 0AA"))
    person.refresh_from_db()
    assert person.locality == south
    for row in (open_clock, met, open_concern, decided):
        row.refresh_from_db()
    assert (open_clock.locality, open_concern.locality) == (south, south)
    assert (met.locality, decided.locality) == (east, east)  # closed work stays where it was
    assert open_concern in triage_queue(user=_hub("south"))
    assert open_concern not in triage_queue(user=_hub("east-central"))
    moved = AuditEntry.objects.filter(detail__follows="child's locality")
    assert {e.object_type for e in moved} == {"statutory_clock", "concern"}


def test_a_merge_places_the_survivor_by_the_most_recent_address_of_both():
    survivor = _known_child("BS5 6XY", "A-1")
    absorbed = _known_child("BS13 0AA", "A-2")  # recorded later
    merge_persons(actor=_hub(None), survivor=survivor, absorbed=absorbed,
                  reason="The same child: the school confirmed it")
    survivor.refresh_from_db()
    assert survivor.locality == _locality("south")


# --- the Hub places people no address places -----------------------------------------------

def _unplaced(postcode, source_id):
    person = _known_child(postcode, source_id)
    assert person.locality is None
    return person


def test_the_hub_sees_who_is_in_no_locality_and_why(client):
    no_postcode, outside = _unplaced("", "U-1"), _unplaced("SW1A 1AA", "U-2")
    client.force_login(_hub("south"))  # a locality's Hub sees the city's unplaced children
    response = client.get(reverse("people:unplaced"))
    body = response.content.decode()
    assert response.status_code == 200
    assert localities.NO_POSTCODE in body and localities.OUTSIDE in body
    assert reverse("people:place", args=[no_postcode.public_id]) in body
    assert reverse("people:place", args=[outside.public_id]) in body
    entry = AuditEntry.objects.filter(object_type="person", action="list").last()
    assert set(entry.object_ids) == {str(no_postcode.pk), str(outside.pk)}
    assert entry.purpose == "data_quality"


def test_the_list_pages_fifty_at_a_time(client):
    for n in range(51):
        _unplaced("", f"P-{n}")
    client.force_login(_hub())
    assert client.get(reverse("people:unplaced")).content.decode().count("Place<span") == 50
    second = client.get(reverse("people:unplaced"), {"page": 2}).content.decode()
    assert second.count("Place<span") == 1 and "Page 2 of 2" in second
    assert client.get(reverse("people:unplaced"), {"page": "x"}).status_code == 400


def test_the_hub_places_a_child_by_hand_audited_and_a_later_address_wins(client):
    child = _unplaced("", "U-3")
    hub, north = _hub(), _locality("north")
    client.force_login(hub)
    url = reverse("people:place", args=[child.public_id])
    response = client.post(url, {"locality": north.pk, "reason": "Lives with an aunt in BS7"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.locality, child.locality_by_hand) == (north, True)
    entry = AuditEntry.objects.get(object_type="person", detail__by_hand=True)
    assert entry.actor == hub and entry.detail["to"] == north.pk
    assert "Lives with" not in str(entry.detail)
    assert client.get(url).status_code == 404  # placed: no longer on the list
    # A run over everyone leaves the Hub's placement alone while no address says otherwise...
    localities.refresh_localities()
    child.refresh_from_db()
    assert child.locality == north
    # ...and an address recorded later places them again.
    Identity.objects.filter(person=child).update(postcode="BS13 0AA",
                                                 address_recorded_at=clock.now())
    localities.refresh_locality(person=child)
    child.refresh_from_db()
    assert (child.locality, child.locality_by_hand) == (_locality("south"), False)


@pytest.mark.parametrize("form, field, message", [
    ({"reason": "Lives with an aunt"}, "locality", "Choose the locality"),
    ({"locality": "999999", "reason": "Lives with an aunt"}, "locality", "Choose one of"),
    ({"locality": "north"}, "reason", "Say why this locality serves them"),
    ({"locality": "north", "reason": "aunt"}, "reason", "at least 10 characters"),
])
def test_a_placement_without_what_it_needs_is_refused_naming_the_field(client, form, field,
                                                                        message):
    child = _unplaced("", "U-4")
    if form.get("locality") == "north":
        form = {**form, "locality": _locality("north").pk}
    client.force_login(_hub())
    response = client.post(reverse("people:place", args=[child.public_id]), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'id="id_{field}-error"' in response.content.decode()
    child.refresh_from_db()
    assert child.locality is None


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.LEAD_WORKER, Role.POLICE_OFFICER,
                                  Role.DATA_PROTECTION_OFFICER])
def test_other_roles_meet_the_same_404_as_for_a_page_that_is_not_there(client, role):
    child = _unplaced("", "U-5")
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("people:unplaced")).status_code == 404
    url = reverse("people:place", args=[child.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"locality": _locality("north").pk,
                             "reason": "Lives with an aunt"}).status_code == 404
    child.refresh_from_db()
    assert child.locality is None


def test_a_placed_or_unknown_child_is_the_same_404(client):
    placed = _known_child("BS5 6XY", "U-6")
    client.force_login(_hub())
    gone = reverse("people:place", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(gone).status_code == 404
    assert client.get(reverse("people:place", args=[placed.public_id])).status_code == 404


def test_the_service_refuses_anyone_but_the_hub():
    child = _unplaced("", "U-7")
    with pytest.raises(localities.PlacementRefused):
        localities.place_person(actor=UserFactory(role=Role.TEAM_MANAGER), person=child,
                                locality=_locality("north"), reason="Lives with an aunt")
