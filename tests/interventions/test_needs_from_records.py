"""Needs the child's records show count for eligibility, only from records the viewer may see."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from saferoptions.access import policy
from saferoptions.core import clock
from saferoptions.core.models import Agency
from saferoptions.events.models import EventObject
from saferoptions.interventions import evidence, services
from saferoptions.interventions.eligibility import LABELS, ChildFacts, evaluate
from saferoptions.interventions.facts import needs_from_records
from saferoptions.interventions.models import Programme
from saferoptions.interventions.selectors import options_for, programmes_for_a_child
from saferoptions.tasks.forms import RiskAssessmentForm
from tests.access.factories import AgreementFactory
from tests.events.factories import EventFactory, InvolvementFactory
from tests.people.factories import PersonFactory

from .test_eligibility import children, reference, rule_sets
from .test_referrals import judge, refer

TODAY = dt.date(2026, 3, 2)  # the conftest's Monday
TYPES = sorted(evidence.EVENT_WORDS)
CATEGORIES = ["knife", "weapon", "drugs", "exploitation", "sexual_exploitation", "missing",
              "exclusion", "violence", "other"]
ROLES = ["victim", "suspect", "witness", "missing_person", "subject", "patient", "pupil"]
KINDS = ["knife", "weapon", "drugs", "phone"]
TABLE = evidence.rules_from(django_settings.INTERVENTIONS_NEEDS_FROM_EVENTS)


# --- the table over plain events, against a plain reference ------------------------------------

def plain_needs(table: dict, occurrences, today) -> dict:
    """need -> (distinct events, most recent day), written as plainly as possible."""
    found = {}
    for need, entry in table.items():
        hits = {}
        for o in occurrences:
            age = (today - o.day).days
            if not 0 <= age < entry["days"]:
                continue
            for line in entry["from"]:
                roles = line.get("roles", [])
                if o.event_type in line["event_types"] and (not roles or o.role in roles) and (
                        o.category in line.get("categories", [])
                        or any(k in line.get("object_kinds", []) for k in o.object_kinds)):
                    hits[o.event_id] = o.day
        if hits and len(hits) >= entry.get("at_least", 1):
            found[need] = (len(hits), max(hits.values()))
    return found


occurrence = st.builds(
    evidence.Occurrence, event_id=st.integers(1, 30), event_type=st.sampled_from(TYPES),
    category=st.sampled_from(CATEGORIES), role=st.sampled_from(ROLES),
    day=st.dates(TODAY - dt.timedelta(days=800), TODAY + dt.timedelta(days=5)),
    object_kinds=st.frozensets(st.sampled_from(KINDS), max_size=2))


@hypothesis_settings(max_examples=500)
@given(occurrences=st.lists(occurrence, max_size=25))
def test_the_table_shows_exactly_the_needs_the_reference_finds(occurrences):
    shown = evidence.needs_shown(TABLE, occurrences, TODAY)
    plain = plain_needs(django_settings.INTERVENTIONS_NEEDS_FROM_EVENTS, occurrences, TODAY)
    assert {n: (sum(c for _, c in e.counts), e.most_recent) for n, e in shown.items()} == plain


@hypothesis_settings(max_examples=500)
@given(rules=rule_sets, child=children,
       shown=st.frozensets(st.sampled_from(["criminal_exploitation", "cannabis_use"])))
def test_needs_shown_by_the_records_count_as_recorded_ones_do(rules, child, shown):
    with_evidence = ChildFacts(**{**child.__dict__, "evidence": tuple(
        (n, "1 police incident, most recent 1 March 2026") for n in sorted(shown))})
    as_recorded = ChildFacts(**{**child.__dict__, "needs": child.needs | shown})
    verdict = evaluate(rules, with_evidence)
    assert {r.rule for r in verdict.failed} == reference(rules, as_recorded)
    needs = next((r for r in verdict.results if r.rule == "needs"), None)
    if needs is not None and needs.passed:  # where the need came from is said
        for n in sorted(shown & rules.needs):
            assert f"{LABELS[n].capitalize()}, from the records: 1 police incident" in needs.why
        if child.needs & rules.needs:
            assert "Recorded need:" in needs.why


def test_an_unknown_key_in_the_table_is_refused():
    with pytest.raises(ValueError, match="unknown"):
        evidence.rules_from({"missing": {"days": 30, "from": [], "window": 3}})


# --- from the database, through the access policy ------------------------------------------------

def noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC)


def stop_search(person, day, grounds="knife", found=None):
    event = EventFactory(event_type="stop_search", category=grounds, occurred_at=noon(day),
                         reported_at=noon(day), reporting_agency=Agency.objects.get(slug="police"))
    if found:
        EventObject.objects.create(event=event, kind=found, description="Bladed article")
    InvolvementFactory(person=person, event=event, role="subject")
    return event


def police_shared_with_social_care():
    AgreementFactory(provider=Agency.objects.get(slug="police"),
                     recipient=Agency.objects.get(slug="social-care"),
                     categories=["police_incidents"], purposes=["direct_work", "triage"])


def support(client, user, child, route="school"):
    client.force_login(user)
    url = reverse("interventions:find-support", args=[child.public_id]) + f"?route_in={route}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def knife_stops(world):
    police_shared_with_social_care()
    for days_ago in (20, 80, 300):
        stop_search(world.child, TODAY - dt.timedelta(days=days_ago))
    stop_search(world.child, dt.date(2025, 11, 2), grounds="other", found="knife")
    return world


def test_knife_stop_searches_the_viewer_may_see_make_the_child_eligible_and_say_so(
        client, knife_stops):
    body = support(client, knife_stops.users["social_worker"], knife_stops.child)
    eligible, other = body.split("Other programmes")
    assert "Bright Outlook (NHS)" in eligible
    assert ("Knife or weapon carrying, from the records: 4 police stops and searches, "
            "most recent 10 February 2026") in eligible
    # A knife or weapon found at school would show exclusion risk; stops do not.
    assert "Education Inclusion Workers" in other


def test_a_viewer_who_may_not_see_the_police_records_is_told_nothing_of_them(
        client, knife_stops):
    world = knife_stops
    judge(world, world.child)  # criminal exploitation, high: mentoring gives the mentor access
    refer(world)
    mentor = world.users["mentor"]
    assert policy.decision_for(mentor, world.child) is not None
    body = support(client, mentor, world.child)
    eligible, other = body.split("Other programmes")
    assert "Bright Outlook (NHS)" in other and "Bright Outlook (NHS)" not in eligible
    for word in ("police stop", "from the records:", "February 2026"):
        assert word not in body
    assert "None of the needs it is for is recorded or shown by the records you may see" in other
    # The social worker, who may see them, is still told.
    assert "from the records: 4 police stops" in support(client, world.users["social_worker"],
                                                         world.child)


def test_the_look_back_window_is_the_last_365_days(world):
    police_shared_with_social_care()
    stop_search(world.child, TODAY - dt.timedelta(days=365))  # a year and a day: too old
    decision = policy.decision_for(world.users["social_worker"], world.child)
    assert "knife_carrying" not in needs_from_records(decision)
    stop_search(world.child, TODAY - dt.timedelta(days=364))
    shown = needs_from_records(decision)
    assert shown["knife_carrying"].words == \
        "1 police stop and search, most recent 3 March 2025"
    with clock.frozen(noon(TODAY + dt.timedelta(days=1))):
        assert "knife_carrying" not in needs_from_records(decision)


def test_events_after_today_and_events_of_other_children_do_not_count(world, knife_stops):
    other = PersonFactory()
    for days_ago in (40, 50):
        stop_search(other, TODAY - dt.timedelta(days=days_ago))
    decision = policy.decision_for(world.users["social_worker"], world.child)
    with clock.frozen(noon(TODAY - dt.timedelta(days=30))):
        shown = needs_from_records(decision)
    assert shown["knife_carrying"].words.startswith("3 police stops and searches")


def test_needs_the_practitioner_recorded_still_count(client, world):
    judge(world, world.child, level="low", needs=["knife_carrying"])
    eligible = support(client, world.users["social_worker"], world.child) \
        .split("Other programmes")[0]
    assert "Bright Outlook (NHS)" in eligible
    assert "Recorded need: knife or weapon carrying" in eligible
    assert "from the records" not in eligible


def test_a_referral_reads_the_records_as_find_support_does(knife_stops):
    world = knife_stops
    programme = Programme.objects.get(name="Bright Outlook (NHS)")
    decision = policy.decision_for(world.users["social_worker"], world.child)
    with pytest.raises(services.Refused):  # without the referrer's view: no need known
        refer(world, programme=programme, route_in="school",
              team_id=programme.providers.first().team_id)
    referral = refer(world, programme=programme, route_in="school",
                     team_id=programme.providers.first().team_id, decision=decision)
    assert referral.ineligible_reason == "" and referral.failed_rules == []


def test_the_task_and_find_support_list_the_same_programmes(world):
    police_shared_with_social_care()
    decision = policy.decision_for(world.users["social_worker"], world.child)
    found = {o.programme.pk for o in options_for(world.child, route_in="school",
                                                 decision=decision)}
    form = RiskAssessmentForm()
    assert set(form.fields["programme"].queryset.values_list("pk", flat=True)) == found
    assert found == set(programmes_for_a_child().values_list("pk", flat=True))
    # Place programmes are brokered for a place, not a child: in neither list.
    assert not Programme.objects.filter(pk__in=found, works_with="place").exists()
