"""Peer groups from the data: suggestions, confirmation, and peer maps masked by the policy."""

import uuid

import pytest
from django.urls import reverse

from saferoptions.analytics.errors import EmptyGroupError
from saferoptions.contexts import services_analysis
from saferoptions.contexts.models import ContextCase, Group, SuggestedGroup
from saferoptions.core.models import Role
from tests.cases.factories import TeamMemberFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from .conftest import HIDDEN_FAMILY, same_page

pytestmark = pytest.mark.django_db


def _clique(people, events=3, agency=None):
    for _ in range(events):
        event = EventFactory(**({"reporting_agency": agency} if agency else {}))
        for person in people:
            InvolvementFactory(event=event, person=person)


@pytest.fixture
def cliques(world, settings):
    # Two cliques make a tiny network: at the city's resolution (2.0) modularity would split
    # them, so plain modularity suits this size.
    settings.CONTEXTS_GROUP_RESOLUTION = 1.0
    first = [world.known, world.hidden] + [PersonFactory(family_name=f"Crew{i}") for i in range(3)]
    second = [PersonFactory(family_name=f"Other{i}") for i in range(4)]
    _clique(first)
    _clique(second)
    return first, second


def test_leiden_suggests_the_two_groups_and_an_analyst_confirms_one(client, world, cliques):
    analyst = world.users[Role.ANALYST]
    client.force_login(analyst)
    assert client.post(reverse("contexts:suggested-groups")).status_code == 302
    found = {frozenset(s.members) for s in SuggestedGroup.objects.all()}
    assert found == {frozenset(p.pk for p in c) for c in cliques}
    page = client.get(reverse("contexts:suggested-groups"))
    assert b"Ashanti" not in page.content and HIDDEN_FAMILY.encode() not in page.content
    assert b"Crew" not in page.content and b"Leiden" in page.content
    # How they were found, in words: not the settings' names or a Python dict (the tour).
    method = page.content.decode()
    assert "Smallest group" in method and "Ties counted" in method
    assert "min_group_size" not in method and "{&#x27;" not in method
    # The analyst may see nobody: the four-person group's size is never given exactly.
    assert b"&lt;5 not shown" in page.content and b">4<" not in page.content
    assert all(s.connectors for s in SuggestedGroup.objects.all())
    first = next(
        s for s in SuggestedGroup.objects.all() if world.known.pk in s.members)
    response = client.post(reverse("contexts:confirm-group", args=[first.pk]), {
        "name": "Croft crew", "description": "", "reason": "Seen together at three stabbings"})
    group = Group.objects.get(name="Croft crew")
    case = ContextCase.objects.get(group=group)
    assert response["Location"] == reverse("contexts:case", args=[case.pk])
    assert set(group.memberships.values_list("person_id", flat=True)) == set(first.members)
    first.refresh_from_db()
    assert first.status == "confirmed"


def test_a_suggestion_with_nobody_cannot_become_a_group(world):
    empty = SuggestedGroup.objects.create(run_at="2026-09-01T00:00Z", number=1, members=[],
                                          density=0, internal_share=0, method={})
    with pytest.raises(EmptyGroupError):
        services_analysis.confirm_group(actor=world.users[Role.ANALYST], suggestion_id=empty.pk,
                                        name="Nobody", description="", reason="x")
    assert not Group.objects.filter(name="Nobody").exists()
    assert not ContextCase.objects.exists()


def test_the_confirm_form_names_a_missing_name(client, world, cliques):
    services_analysis.suggest_groups(actor=world.users[Role.ANALYST])
    client.force_login(world.users[Role.ANALYST])
    first = SuggestedGroup.objects.first()
    response = client.post(reverse("contexts:confirm-group", args=[first.pk]),
                           {"name": "", "reason": "x"})
    assert response.status_code == 400 and b"Name for the group" in response.content
    assert not ContextCase.objects.exists()


def test_practitioners_cannot_run_suggestions(client, world):
    client.force_login(world.users[Role.SOCIAL_WORKER])
    assert client.get(reverse("contexts:suggested-groups")).status_code == 404
    assert client.post(reverse("contexts:suggested-groups")).status_code == 404


def test_a_group_peer_map_masks_people_the_viewer_may_not_see(client, world, cliques):
    hub = world.users[Role.HUB_PRACTITIONER]
    first, _ = cliques
    _clique(first, agency=hub.agency)  # ties the Hub's own agency recorded
    TeamMemberFactory(person=first[2], user=hub)
    client.force_login(hub)
    page = client.get(reverse("contexts:group-peer-map", args=[world.group.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ashanti" in body and "Crew0" in body
    assert HIDDEN_FAMILY not in body and "Crew1" not in body
    assert "Not shown A" in body and "<svg" in body and "<table" in body


def test_a_child_peer_map_is_the_common_404_for_a_child_the_viewer_may_not_see(
        client, world, cliques):
    client.force_login(world.users[Role.SOCIAL_WORKER])
    mine = client.get(reverse("contexts:child-peer-map", args=[world.known.public_id]))
    assert mine.status_code == 200 and HIDDEN_FAMILY.encode() not in mine.content
    forbidden = client.get(reverse("contexts:child-peer-map", args=[world.hidden.public_id]))
    absent = client.get(reverse("contexts:child-peer-map", args=[uuid.uuid4()]))
    assert forbidden.status_code == absent.status_code == 404
    assert HIDDEN_FAMILY.encode() not in forbidden.content and same_page(forbidden, absent)


def test_licensing_officers_get_no_group_peer_map(client, world):
    client.force_login(world.users[Role.LICENSING_OFFICER])
    forbidden = client.get(reverse("contexts:group-peer-map", args=[world.group.pk]))
    absent = client.get(reverse("contexts:group-peer-map", args=[world.group.pk + 99]))
    assert forbidden.status_code == absent.status_code == 404
    assert same_page(forbidden, absent)


def test_the_search_can_run_in_the_background_worker(client, world, cliques, settings):
    settings.CONTEXTS_GROUPS_IN_BACKGROUND = True  # tests run django-q2 jobs inline
    client.force_login(world.users[Role.HUB_PRACTITIONER])
    assert client.post(reverse("contexts:suggested-groups")).status_code == 302
    assert SuggestedGroup.objects.count() == 2
    page = client.get(reverse("contexts:suggested-groups"))
    assert b"Ashanti" in page.content and HIDDEN_FAMILY.encode() not in page.content


def test_a_viewer_who_sees_no_member_gets_no_map_and_no_exact_size(client, world, cliques):
    client.force_login(world.users[Role.ANALYST])
    page = client.get(reverse("contexts:group-peer-map", args=[world.group.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "You may not see anyone in this group" in body
    assert "Members: &lt;5" in body and "Not shown A" not in body and "<svg" not in body


def test_a_peer_map_draws_no_tie_from_an_event_the_viewer_may_not_see(client, world):
    worker = world.users[Role.SOCIAL_WORKER]  # works with the known child; council agency
    unseen = PersonFactory(family_name="Hospitalcontact")
    seen = PersonFactory(family_name="Councilcontact")
    _clique([world.known, unseen], agency=world.hospital)  # no agreement with the hospital
    _clique([world.known, seen], agency=worker.agency)
    client.force_login(worker)
    body = client.get(reverse("contexts:child-peer-map", args=[world.known.public_id])
                      ).content.decode()
    assert "Not shown" in body  # the council's tie to someone the worker may not see
    assert body.count("Not shown A") >= 1 and "Not shown B" not in body
    assert "Hospitalcontact" not in body and "Councilcontact" not in body
    assert "together in one agency record" in body  # the visible tie's source is shown


def test_a_peer_map_says_in_words_how_each_tie_was_recorded(client, world, cliques):
    # The ties table read 'co_involvement', the network code, to a Hub practitioner.
    hub = world.users[Role.HUB_PRACTITIONER]
    first, _ = cliques
    _clique(first, agency=hub.agency)
    TeamMemberFactory(person=first[2], user=hub)
    client.force_login(hub)
    body = client.get(reverse("contexts:group-peer-map", args=[world.group.pk])).content.decode()
    ties = body.split("Ties between people on the map")[1].split("</table>")[0]
    assert "co_involvement" not in ties
    assert "together in one agency record" in ties
