"""The issue's rules, end to end from a partner message to a task, and the DSL itself."""

import datetime as dt

import pytest
from django.utils import timezone

from saferoptions.cases.models import Concern, StatutoryClock
from saferoptions.contexts.models import Place
from saferoptions.core import clock
from saferoptions.core.models import Agency, Ward
from saferoptions.feeds import services
from saferoptions.people.models import Person
from saferoptions.tasks.models import Task, TaskRule
from saferoptions.tasks.rules import RuleError, describe, holds
from saferoptions.tasks.services import apply_rules, due_at, name_child_on_tasks
from tests.events.factories import EventFactory, InvolvementFactory
from tests.feeds.factories import NHS_VALID, ago, young_person

from .factories import send

pytestmark = pytest.mark.django_db


def test_dsl_all_any_not_and_operators():
    facts = {"category": "knife", "age": 24, "object_kinds": ["knife", "phone"]}
    assert holds({"all": [{"fact": "category", "eq": "knife"}, {"fact": "age", "lte": 24}]}, facts)
    assert not holds({"fact": "age", "lte": 23}, facts)
    assert holds({"any": [{"fact": "age", "gte": 30}, {"fact": "object_kinds",
                                                      "contains_any": ["phone"]}]}, facts)
    assert holds({"not": {"fact": "category", "in": ["drugs"]}}, facts)
    assert not holds({"fact": "age", "lte": 24}, {"age": None})  # unknown age never matches


def test_dsl_refuses_what_it_does_not_understand():
    with pytest.raises(RuleError):
        holds({"fact": "age", "roughly": 20}, {})
    with pytest.raises(RuleError):
        holds({"sometimes": True}, {})


def test_every_loaded_rule_reads_in_plain_words():
    for rule in TaskRule.objects.all():
        text = describe(rule.conditions)
        assert text and "{" not in text


def test_ed_knife_over_24_makes_no_task_and_under_does():
    send("ed_assault", referral=None, rapid_response_referral=False, patient_age=25)
    send("ed_assault", referral=None, rapid_response_referral=False, patient_age=24,
         assault_method="knife_sharp")
    send("ed_assault", referral=None, rapid_response_referral=False, patient_age=15,
         assault_method="body_part")
    assert Task.objects.count() == 1


@pytest.mark.parametrize("kind, expected", [("weapon", 1), ("drugs", 1), ("knife", 1),
                                            ("exclusion", 0), ("attendance", 0)])
def test_weapon_or_drugs_in_school_is_a_risk_assessment_in_24_hours(kind, expected):
    send("school_incident", incident_kind=kind)
    tasks = Task.objects.filter(task_type="risk_assessment", team__slug="education-inclusion")
    assert tasks.count() == expected


def test_return_from_missing_is_a_return_home_interview_for_the_locality_team():
    start = send("missing_episode", occurred_at=ago(hours=30),
                 place={"name": "Southville library", "latitude": 51.444, "longitude": -2.605})
    assert not Task.objects.exists()  # going missing alone makes no interview
    event = start.event
    send("missing_episode", source_reference=event.source_reference,
         occurred_at=event.occurred_at.isoformat(), returned_at=ago(hours=1),
         person={"source_id": event.involvements.get().identity.source_id})
    task = Task.objects.get()
    assert task.task_type == "return_home_interview"
    assert task.team.slug == "early-help-south"
    event.refresh_from_db()
    # 72 hours from the return itself, not from when the message arrived.
    assert task.due_at == event.ended_at + dt.timedelta(hours=72)
    assert task.due_at != task.created_at + dt.timedelta(hours=72)


def test_a_return_home_interview_task_and_its_clock_share_a_due_time():
    _child()
    # The return was 20 hours ago; the police system sends it only now.
    sent = send("missing_episode", occurred_at=ago(hours=40), returned_at=ago(hours=20),
                person=_ava())
    task = Task.objects.get(task_type="return_home_interview")
    rhi = StatutoryClock.objects.get(kind="return_home_interview")
    assert task.due_at == rhi.due_at == sent.event.ended_at + dt.timedelta(hours=72)
    assert rhi.started_at == sent.event.ended_at


def test_a_hospital_rapid_response_runs_from_the_arrival_at_ed():
    sent = send("ed_assault", occurred_at=ago(hours=5), arrival_at=ago(hours=4))
    task = Task.objects.get(task_type="hospital_rapid_response")
    assert task.due_at == sent.event.reported_at + dt.timedelta(hours=24)


def test_return_with_no_known_place_goes_to_the_hub():
    send("missing_episode", returned_at=ago(hours=1))
    assert Task.objects.get().team.slug == "hub"


def _child():
    return Person.objects.create(given_name="Ava", family_name="Jones",
                                 date_of_birth=dt.date(2011, 1, 2))


def _ava(**extra):
    return young_person(given_name="Ava", family_name="Jones", date_of_birth="2011-01-02", **extra)


def test_three_missing_episodes_in_90_days_flag_the_child_once():
    child = _child()
    for days in (80, 40, 10, 5):
        send("missing_episode", occurred_at=ago(days=days), person=_ava())
    flags = Task.objects.filter(task_type="hub_triage")
    assert flags.count() == 1
    assert flags.get().person == child and flags.get().team.slug == "hub"


def test_three_missing_episodes_spread_over_more_than_90_days_do_not():
    _child()
    for days in (200, 100, 5):
        send("missing_episode", occurred_at=ago(days=days), person=_ava())
    assert not Task.objects.filter(task_type="hub_triage").exists()


def test_an_exclusion_and_a_police_contact_within_30_days_flag_the_child():
    child = _child()
    send("school_incident", incident_kind="exclusion", occurred_at=ago(days=20), pupil=_ava())
    assert not Task.objects.filter(task_type="hub_triage").exists()
    send("stop_search", occurred_at=ago(days=2), person=_ava())
    assert Task.objects.get(task_type="hub_triage").person == child


def test_a_community_concern_about_a_place_opens_one_review_per_place():
    ward = Ward.objects.first()
    Place.objects.create(name="The Underpass", place_type="street", latitude=51.45,
                         longitude=-2.59, ward=ward)
    for _ in range(2):
        send("community_concern", place={"name": "the underpass"})
    review = Task.objects.get(task_type="place_review")
    assert review.place.name == "The Underpass" and review.person is None


def test_a_new_rule_version_replaces_the_old_and_tasks_record_it():
    old = TaskRule.objects.get(slug="ed-knife-rapid-response", version=1)
    TaskRule.objects.create(**{**_fields(old), "version": 2, "sla_hours": 12})
    send("ed_assault")
    task = Task.objects.get()
    assert (task.rule.version, task.rule_version) == (2, 2)
    assert task.due_at - task.event.reported_at == dt.timedelta(hours=12)


def _fields(rule):
    skip = {"id", "created_at"}
    return {f.name: getattr(rule, f.name) for f in rule._meta.fields if f.name not in skip}


def test_processing_a_message_again_makes_no_second_task():
    sent = send("ed_assault")
    services.InboxMessage.objects.filter(pk=sent.pk).update(status="received")
    services.process_message(sent.pk)
    assert Task.objects.count() == 1


def test_a_known_child_is_matched_by_nhs_number_through_another_agency():
    child = _child()
    identity = child.identities.create(agency_id=1, source_id="SC-1", nhs_number=NHS_VALID)
    assert identity.person == child
    send("ed_assault", referral=young_person(nhs_number=NHS_VALID, given_name="A",
                                             family_name="B"))
    assert Task.objects.get().person == child


def test_working_day_clocks_skip_weekends_and_bank_holidays():
    rule = TaskRule.objects.get(slug="community-concern-place-review")  # 5 working days
    friday = timezone.make_aware(dt.datetime(2026, 12, 18, 10, 0))
    # Christmas Day (Fri) and the Boxing Day substitute (Mon 28th) do not count.
    assert due_at(rule, friday) == timezone.make_aware(dt.datetime(2026, 12, 29, 10, 0))


def test_a_flag_for_hub_triage_is_a_concern_in_the_locality_queue():
    child = _child()
    for days in (40, 10, 5):
        send("missing_episode", occurred_at=ago(days=days), person=_ava())
    concern = Concern.objects.get(person=child, source="feed_rule")
    assert concern.kind == "missing" and concern.event.event_type == "missing_episode"
    # Redelivering the last episode changes nothing in the queue.
    send("missing_episode", occurred_at=ago(days=5), person=_ava())
    assert Concern.objects.filter(person=child, source="feed_rule").count() == 1


def test_a_child_returning_from_missing_gets_a_return_home_interview_clock():
    child = _child()
    send("missing_episode", occurred_at=ago(hours=30), returned_at=ago(hours=2), person=_ava())
    clock = StatutoryClock.objects.get(person=child)
    assert clock.kind == "return_home_interview"


def test_a_return_home_interview_names_the_child_not_the_parent_who_reported_them():
    child, parent = _child(), Person.objects.create(
        given_name="Rose", family_name="Jones", date_of_birth=dt.date(1985, 5, 5))
    police = Agency.objects.get(slug="police")
    event = EventFactory(event_type="missing_episode", category="missing",
                         reporting_agency=police, occurred_at=ago_dt(hours=30),
                         ended_at=ago_dt(hours=2))
    InvolvementFactory(event=event, person=child, role="missing_person")
    InvolvementFactory(event=event, person=parent, role="reporter")
    made = apply_rules(event, {}, [])
    assert [t.task_type for t in made] == ["return_home_interview"]
    assert made[0].person == child
    name_child_on_tasks(event)  # matched later: still the child's, never the reporter's
    assert Task.objects.get(pk=made[0].pk).person == child


def test_a_return_home_interview_names_the_child_not_the_associate_seen_with_them():
    child, adult = _child(), Person.objects.create(
        given_name="Dean", family_name="Cole", date_of_birth=dt.date(1990, 1, 1))
    event = EventFactory(event_type="missing_episode", category="missing",
                         reporting_agency=Agency.objects.get(slug="police"),
                         occurred_at=ago_dt(hours=30), ended_at=ago_dt(hours=2))
    InvolvementFactory(event=event, person=child, role="missing_person")
    InvolvementFactory(event=event, person=adult, role="associate")
    made = apply_rules(event, {}, [])
    assert [(t.task_type, t.person) for t in made] == [("return_home_interview", child)]
    Task.objects.filter(pk=made[0].pk).update(person=None)  # made before the child was matched
    assert name_child_on_tasks(event) == 1
    assert Task.objects.get(pk=made[0].pk).person == child


def ago_dt(**delta):
    return clock.now() - dt.timedelta(**delta)
