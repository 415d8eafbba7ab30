"""Small concerns adding up to a prompt for review, showing what contributed."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from saferoptions.cases import accumulation, services
from saferoptions.cases.models import Concern, TriageOutcome
from saferoptions.core import clock

from .conftest import police_event

RULE = {"window_days": 30, "threshold": 5,
        "weights": {"stop_search": 2, "missed_school_week": 2, "older_associate": 3}}
TODAY = dt.date(2026, 3, 2)


def _item(kind, days_ago, n=1):
    return accumulation.Item(kind, TODAY - dt.timedelta(days=days_ago), "concern", n)


def test_the_tally_counts_only_weighted_items_inside_the_window():
    items = [_item("stop_search", 1, 1), _item("older_associate", 29, 2),
             _item("stop_search", 30, 3), _item("weather", 2, 4)]
    tally = accumulation.tally(items, rule=RULE, today=TODAY)
    assert tally.score == 5 and tally.crossed
    assert [c.item.record_id for c in tally.contributions] == [2, 1]


@given(st.lists(st.tuples(st.sampled_from(["stop_search", "older_associate", "other"]),
                          st.integers(min_value=0, max_value=60)), max_size=30))
def test_the_score_is_the_sum_of_the_shown_contributions(raw):
    items = [_item(kind, days, i) for i, (kind, days) in enumerate(raw)]
    tally = accumulation.tally(items, rule=RULE, today=TODAY)
    assert tally.score == sum(c.weight for c in tally.contributions)
    assert all(0 <= (TODAY - c.item.on).days < 30 for c in tally.contributions)


@pytest.mark.django_db
def test_small_concerns_add_up_to_one_review_prompt(world, settings):
    settings.CASES_ACCUMULATION = RULE
    police_event(world, world.child, occurred_at=dt.datetime(2026, 2, 20, tzinfo=dt.UTC))
    services.raise_concern(person=world.child, source="practitioner", kind="missed_school_week",
                           reason="Missed all of last week")
    assert not Concern.objects.filter(source="accumulation").exists()  # 4 < 5
    services.raise_concern(person=world.child, source="practitioner", kind="older_associate",
                           reason="New friend aged 22")
    prompt = Concern.objects.get(source="accumulation")
    assert {c["kind"] for c in prompt.contributions} == {"stop_search", "missed_school_week",
                                                         "older_associate"}
    services.raise_concern(person=world.child, source="practitioner", kind="stop_search",
                           reason="Stopped again")
    assert Concern.objects.filter(source="accumulation").count() == 1  # one open at a time


@pytest.mark.django_db
def test_the_child_page_shows_only_contributions_the_viewer_may_see(client, world, settings):
    settings.CASES_ACCUMULATION = RULE
    police_event(world, world.child, occurred_at=dt.datetime(2026, 2, 20, tzinfo=dt.UTC))
    services.raise_concern(person=world.child, source="practitioner", kind="older_associate",
                           reason="New friend aged 22")
    url = reverse("cases:child", args=[world.child.public_id])
    client.force_login(world.users["social_worker"])
    assert "Stop and search (a partner&#x27;s record)" in client.get(url).content.decode()
    client.force_login(world.users["lead"])  # police data is not shared with Barnardo's
    body = client.get(url).content.decode()
    assert "New older associate (a concern raised)" in body and "Stop and search" not in body


@pytest.mark.django_db
def test_the_child_page_names_each_contribution_in_words_newest_first(client, world, settings):
    # The rule's codes ('stop search', 'missing') said neither what the item was nor whether
    # it was a concern or a partner's record, and the heaviest-first order hid the newest.
    settings.CASES_ACCUMULATION = RULE
    police_event(world, world.child, occurred_at=dt.datetime(2026, 2, 20, tzinfo=dt.UTC))
    services.raise_concern(person=world.child, source="practitioner", kind="missed_school_week",
                           reason="Missed all of last week")
    client.force_login(world.users["social_worker"])
    body = client.get(reverse("cases:child", args=[world.child.public_id])).content.decode()
    items = re.findall(r"<li>([^<]*), weight (\d)</li>", body)
    assert [kind.split(": ", 1)[1] for kind, _ in items] == [
        "Missed a week of school (a concern raised)",
        "Stop and search (a partner&#x27;s record)"]


@pytest.mark.django_db
def test_after_a_decision_only_what_the_hub_has_not_seen_adds_up_again(world, settings):
    settings.CASES_ACCUMULATION = RULE
    police_event(world, world.child, occurred_at=dt.datetime(2026, 2, 20, tzinfo=dt.UTC))
    services.raise_concern(person=world.child, source="practitioner", kind="older_associate",
                           reason="New friend aged 22")
    prompt = Concern.objects.get(source="accumulation")
    prompt.outcome, prompt.decided_at = TriageOutcome.values[0], clock.now()
    prompt.save(update_fields=["outcome", "decided_at"])
    # The same history plus one small new concern (2 < 5): no second prompt for what was decided.
    services.raise_concern(person=world.child, source="practitioner", kind="stop_search",
                           reason="Stopped again")
    assert Concern.objects.filter(source="accumulation").count() == 1
    # New concerns since the decision add up past the threshold on their own: a new prompt.
    services.raise_concern(person=world.child, source="practitioner", kind="older_associate",
                           reason="Seen with a second older man")
    assert Concern.objects.filter(source="accumulation").count() == 2
