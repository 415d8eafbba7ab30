"""Referrals: consent, eligibility, places and the waiting list, and what can follow what."""

import datetime as dt

import pytest
from django.db import transaction

from saferoptions.audit.models import AuditEntry
from saferoptions.interventions import services
from saferoptions.interventions.models import CapacityMonth, Programme, Referral
from saferoptions.interventions.selectors import position
from tests.people.factories import PersonFactory

MARCH = dt.date(2026, 3, 1)


def mentoring():
    return Programme.objects.get(name="Community mentoring")


def judge(w, person, level="high", needs=("criminal_exploitation",)):
    with transaction.atomic():
        return services.record_risk_judgement(actor=w.users["social_worker"], person=person,
                                              level=level, needs=list(needs))


def refer(w, person=None, programme=None, **kwargs):
    values = {"route_in": "direct", "reason": "Missing four times in ten weeks.",
              "young_person_consent": "given", "parent_consent": "given"}
    values.update(kwargs)
    with transaction.atomic():
        return services.refer(actor=w.users["social_worker"], person=person or w.child,
                              programme=programme or mentoring(),
                              team_id=values.pop("team_id", w.mentor_team.pk), **values)


def east_area():
    return mentoring().areas.get(locality__slug="east-central")


def test_an_eligible_child_with_consent_gets_a_place_this_month(world):
    judge(world, world.child)
    referral = refer(world)
    assert referral.status == "sent" and referral.holds_place
    assert referral.place_month == MARCH
    assert CapacityMonth.objects.get(area=east_area(), month=MARCH).taken == 1
    assert AuditEntry.objects.filter(action="refer", object_ids=[str(referral.pk)]).exists()


def test_no_consent_and_no_reason_is_refused_naming_the_field(world):
    judge(world, world.child)
    with pytest.raises(services.Refused) as refused:
        refer(world, young_person_consent="refused")
    assert refused.value.field == "without_consent_reason"
    assert not Referral.objects.exists()


def test_a_fourteen_year_old_needs_a_parents_consent_too(world):
    judge(world, world.child)
    with pytest.raises(services.Refused) as refused:
        refer(world, parent_consent="")
    assert refused.value.field == "parent_consent"
    with pytest.raises(services.Refused):
        refer(world, parent_consent="refused")


def test_proceeding_without_consent_is_audited_and_listed_for_the_dpo(world):
    judge(world, world.child)
    referral = refer(world, young_person_consent="refused",
                     without_consent_reason="She is at immediate risk; her mother agrees.")
    assert referral.without_consent
    assert AuditEntry.objects.filter(action="refer_without_consent",
                                     object_ids=[str(referral.pk)]).exists()


def test_an_ineligible_referral_is_refused_with_the_rule_unless_a_reason_is_given(world):
    judge(world, world.child, level="low")
    with pytest.raises(services.Refused) as refused:
        refer(world)
    assert refused.value.field == "ineligible_reason"
    assert "For medium or high risk; recorded as low" in refused.value.message
    referral = refer(world, ineligible_reason="Her brother's mentor is already working "
                                              "with the family.")
    assert referral.failed_rules == ["risk"]
    assert AuditEntry.objects.filter(action="refer_ineligible").count() == 1


def test_a_full_programme_keeps_a_waiting_list_in_order_and_a_decline_frees_the_place(world):
    area = east_area()
    area.monthly_places = 1
    area.save()
    children = [PersonFactory(locality=world.east, date_of_birth=dt.date(2010, 1, 1))
                for _ in range(3)]
    for child in children:
        judge(world, child)
    first, second, third = (refer(world, person=c) for c in children)
    assert [first.status, second.status, third.status] == ["sent", "waiting", "waiting"]
    assert (position(second), position(third)) == (1, 2)
    with transaction.atomic():
        services.decline(actor=world.users["mentor"], referral=first,
                         reason="Already working with his cousin")
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("sent", "waiting")
    assert position(third) == 1


def test_an_ended_referral_cannot_restart_but_a_new_one_can_be_made(world):
    judge(world, world.child)
    referral = refer(world)
    mentor = world.users["mentor"]
    with transaction.atomic():
        services.accept(actor=mentor, referral=referral)
        services.start(actor=mentor, referral=referral, started_on=dt.date(2026, 3, 2))
        services.end(actor=mentor, referral=referral, reason="disengaged")
    with pytest.raises(services.Refused) as refused:
        services.start(actor=mentor, referral=referral, started_on=dt.date(2026, 3, 2))
    assert "cannot restart" in refused.value.message
    assert refer(world).status == "sent"


def test_only_the_providers_team_accepts_and_completion_needs_a_start(world):
    judge(world, world.child)
    referral = refer(world)
    with pytest.raises(services.Refused):
        services.accept(actor=world.users["other_mentor"], referral=referral)
    with pytest.raises(services.Refused) as refused:
        services.end(actor=world.users["mentor"], referral=referral, reason="completed")
    assert refused.value.field == "end_reason"


def test_a_second_open_referral_to_the_same_programme_is_refused(world):
    judge(world, world.child)
    refer(world)
    with pytest.raises(services.Refused) as refused:
        refer(world)
    assert "already has an open referral" in refused.value.message


def test_capacity_below_the_places_taken_is_refused_with_the_count(world):
    judge(world, world.child)
    refer(world)
    other = PersonFactory(locality=world.east, date_of_birth=dt.date(2010, 1, 1))
    judge(world, other)
    refer(world, person=other)
    with pytest.raises(services.Refused) as refused, transaction.atomic():
        services.set_standing_places(actor=world.users["catalogue"], area=east_area(),
                                     monthly_places=1)
    assert refused.value.message.startswith("2 places are already taken")
    with transaction.atomic():
        services.set_standing_places(actor=world.users["catalogue"], area=east_area(),
                                     monthly_places=2)
    assert CapacityMonth.objects.get(area=east_area(), month=MARCH).free == 0


def test_raising_capacity_serves_the_waiting_list(world):
    area = east_area()
    area.monthly_places = 0
    area.save()
    judge(world, world.child)
    referral = refer(world)
    assert referral.status == "waiting"
    with transaction.atomic():
        services.set_standing_places(actor=world.users["catalogue"], area=area,
                                     monthly_places=1)
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_sessions_are_recorded_by_the_provider_and_never_in_the_future(world):
    judge(world, world.child)
    referral = refer(world)
    mentor = world.users["mentor"]
    with transaction.atomic():
        services.accept(actor=mentor, referral=referral)
        services.record_session(actor=mentor, referral=referral,
                                held_on=dt.date(2026, 3, 2), attended=False)
    with pytest.raises(services.Refused) as refused:
        services.record_session(actor=mentor, referral=referral,
                                held_on=dt.date(2026, 3, 9), attended=True)
    assert refused.value.field == "held_on"
    assert referral.sessions.count() == 1
