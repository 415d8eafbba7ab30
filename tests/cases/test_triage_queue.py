"""Working the triage queue: sort, filter, page, bad addresses, titles in the rule's words,
and a concern showing the events that raised it, with honest counts of what is withheld."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Role
from tests.core.factories import TeamFactory, UserFactory

from .conftest import NOW, police_event, same_page
from .factories import ConcernFactory

pytestmark = pytest.mark.django_db

RULE = ("A child has been excluded from school and has had contact with the police within 30 "
        "days: the Hub triages them and takes them to the locality meeting.")


def _concern(w, **kwargs):
    kwargs.setdefault("person", w.child)
    kwargs.setdefault("raised_at", NOW - dt.timedelta(hours=1))
    kwargs.setdefault("due_at", NOW + dt.timedelta(days=1))
    return ConcernFactory(**kwargs)


def _ids(response) -> list[int]:
    """The concern numbers listed, in page order."""
    return [int(n) for n in re.findall(r"/cases/concerns/(\d+)/", response.content.decode())]


def _queue(client, user, **params):
    client.force_login(user)
    return client.get(reverse("cases:triage"), params)


def test_the_queue_sorts_by_due_weight_and_raised(client, world):
    late = _concern(world, due_at=NOW - dt.timedelta(hours=2), kind="online")
    heavy = _concern(world, kind="accumulated", source="accumulation",
                     reason="3 smaller concerns in the last 90 days add up to 9 (review "
                            "prompted at 6).",
                     contributions=[{"type": "event", "id": 1, "weight": 3}] * 3)
    newest = _concern(world, raised_at=NOW - dt.timedelta(minutes=5), kind="other",
                      due_at=NOW + dt.timedelta(days=2))
    hub = world.users["hub"]
    assert _ids(_queue(client, hub)) == [late.pk, heavy.pk, newest.pk]
    assert _ids(_queue(client, hub, sort="weight")) == [heavy.pk, late.pk, newest.pk]
    assert _ids(_queue(client, hub, sort="raised"))[0] == newest.pk
    page = _queue(client, hub, sort="weight").content.decode()
    # "Sorted weight of concern" read as a verb with no object (seen on the tour).
    assert "Sorted by weight of concern, heaviest first." in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">9</td>' in page


def test_the_queue_filters_by_kind_source_agency_and_overdue(client, world):
    police = world.agencies["police"]
    referred = _concern(world, kind="exploitation", source="partner_referral",
                        referrer_agency=police)
    late = _concern(world, kind="online", due_at=NOW - dt.timedelta(hours=1))
    flagged = _concern(world, kind="other", source="feed_rule", reason=RULE,
                       event=police_event(world, world.child))
    hub = world.users["hub"]
    assert _ids(_queue(client, hub, kind="exploitation")) == [referred.pk]
    assert set(_ids(_queue(client, hub, kind=["exploitation", "online"]))) == {referred.pk,
                                                                                late.pk}
    assert _ids(_queue(client, hub, source="feed_rule")) == [flagged.pk]
    # From police: their referral, and the concern their event raised (the Hub may see it).
    assert set(_ids(_queue(client, hub, agency=police.pk))) == {referred.pk, flagged.pk}
    overdue = _queue(client, hub, overdue="yes")
    assert _ids(overdue) == [late.pk]
    assert "1 concern waiting, 1 overdue" in overdue.content.decode()
    assert "Remove<span class=\"govuk-visually-hidden\"> filter</span> due: Overdue only" in (
        overdue.content.decode())


def test_a_city_wide_hub_filters_by_locality_and_a_local_one_sees_only_theirs(client, world):
    north = _concern(world)
    south = _concern(world, person=world.other)
    city = UserFactory(role=Role.HUB_PRACTITIONER, agency=world.agencies["social_care"])
    assert set(_ids(_queue(client, city))) == {north.pk, south.pk}
    assert _ids(_queue(client, city, locality=world.south.pk)) == [south.pk]
    local = _queue(client, world.users["hub"], locality=world.south.pk)
    assert _ids(local) == [north.pk]  # no locality filter for them: their queue is their own
    assert 'id="filter-locality"' not in local.content.decode()


def test_sixty_concerns_page_fifty_at_a_time_keeping_sort_and_filters(client, world):
    made = [_concern(world, kind="online", due_at=NOW + dt.timedelta(minutes=n))
            for n in range(60)]
    first = _queue(client, world.users["hub"], kind="online")
    assert len(_ids(first)) == 50
    body = first.content.decode()
    assert 'class="govuk-pagination"' in body and "60 concerns waiting" in body
    assert "?sort=due&amp;kind=online&amp;page=2" in body
    second = _queue(client, world.users["hub"], kind="online", page=2)
    assert _ids(second) == [c.pk for c in made[50:]]
    gone = _queue(client, world.users["hub"], kind="online", page=7)
    assert gone.status_code == 200 and _ids(gone) == _ids(second)
    assert "There is no page 7 of these concerns now; showing page 2, the last." in (
        gone.content.decode())


@pytest.mark.parametrize(("params", "message"), [
    ({"sort": "shoe-size"}, "Sort by: this list cannot be sorted by &#x27;shoe-size&#x27;; "
                            "it is sorted by decision due, soonest first instead."),
    ({"kind": "gossip"}, "What it is about: &#x27;gossip&#x27; is not one of the choices"),
    ({"agency": "police"}, "From agency: &#x27;police&#x27; is not one of the choices"),
    ({"page": "two"}, "Page: &#x27;two&#x27; is not a page number; showing the first page."),
    ({"page": "-1"}, "Page: &#x27;-1&#x27; is not a page number"),
    # str.isdigit() is true of '²', which int() refuses: it was a 500 (seen by the tour)
    ({"page": "\u00b2"}, "Page: &#x27;\u00b2&#x27; is not a page number"),
    ({"page": "9" * 25}, "is not a page number"),
    ({"overdue": "no"}, "Due: &#x27;no&#x27; is not one of the choices"),
])
def test_a_bad_address_falls_back_to_the_queue_with_a_message(client, world, params, message):
    concern = _concern(world)
    response = _queue(client, world.users["hub"], **params)
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and message in body
    assert _ids(response) == [concern.pk]  # the queue still shows, with the default


def test_a_rule_concern_is_titled_in_the_rules_words(client, world):
    concern = _concern(world, kind="other", source="feed_rule", reason=RULE,
                       event=police_event(world, world.child))
    queue = _queue(client, world.users["hub"]).content.decode()
    words = ("A child has been excluded from school and has had contact with the police "
             "within 30 days")
    assert f">{words}</a>" in queue
    assert "Something else (" not in queue and ">Something else</a>" not in queue
    page = client.get(reverse("cases:concern", args=[concern.pk])).content.decode()
    assert f"{words}: Amara Okafor" in page


def test_a_concern_shows_the_events_that_raised_it_and_counts_what_is_withheld(client, world):
    police = world.agencies["police"]
    TeamFactory(agency=police, name="Exploitation team")
    seen = police_event(world, world.child, event_type="stop_search", category="weapon")
    hidden = police_event(world, world.child, event_type="police_incident",
                          category="sexual_exploitation")
    concern = _concern(world, kind="accumulated", source="accumulation",
                       reason="2 smaller concerns add up to 6 (review prompted at 6).",
                       contributions=[{"type": "event", "id": seen.pk, "weight": 3},
                                      {"type": "event", "id": hidden.pk, "weight": 3}])
    client.force_login(world.users["hub"])
    body = client.get(reverse("cases:concern", args=[concern.pk])).content.decode()
    raised = body[body.index('id="raised-by"'):body.index("What partners know")]
    assert "Stop and search" in raised
    assert (f"1 police record you may not see: ask {police.name}, Exploitation team"
            in raised)
    entry = AuditEntry.objects.filter(object_type="concern", action="view").latest("pk")
    assert entry.detail["raised_by"] == [seen.pk] and entry.detail["withheld"] == 2
    for name in ("social_worker", "police", "lead", "outsider"):
        client.force_login(world.users[name])
        forbidden = client.get(reverse("cases:concern", args=[concern.pk]))
        absent = client.get(reverse("cases:concern", args=[999999]))
        assert forbidden.status_code == 404 and same_page(forbidden, absent)
        assert "you may not see" not in forbidden.content.decode()


def test_a_referral_says_a_person_raised_it(client, world):
    concern = _concern(world, source="partner_referral",
                       referrer_agency=world.agencies["barnardos"])
    client.force_login(world.users["hub"])
    body = client.get(reverse("cases:concern", args=[concern.pk])).content.decode()
    assert "A person raised this concern" in body
    assert "No events" not in body


def test_new_concerns_are_counted_never_listed_under_the_reader(client, world):
    _concern(world, raised_at=NOW - dt.timedelta(hours=3))
    client.force_login(world.users["hub"])
    page = client.get(reverse("cases:triage")).content.decode()
    assert 'hx-trigger="every 30s"' in page and 'class="govuk-body app-queue-news"' in page
    since = int((NOW - dt.timedelta(hours=2)).timestamp())
    _concern(world, raised_at=NOW - dt.timedelta(minutes=1))
    _concern(world, raised_at=NOW - dt.timedelta(minutes=2))
    news = client.get(reverse("cases:triage-new"), {"since": since})
    assert news.content.decode().strip().endswith("2 new concerns: show</a>")
    assert "Amara" not in news.content.decode()
    assert client.get(reverse("cases:triage-new"), {"since": "yesterday"}).status_code == 400
    assert client.get(reverse("cases:triage-new"), {"since": "\u00b2"}).status_code == 400
    client.force_login(world.users["social_worker"])
    assert client.get(reverse("cases:triage-new"), {"since": since}).status_code == 404
