"""The generator on its own: deterministic, realistic in shape, honest about its truth."""

from collections import Counter
from datetime import date

import pytest

from saferoptions.city.generator import check, default_start, generate
from saferoptions.city.variation import is_valid_nhs_number
from saferoptions.contexts.models import PlaceType
from saferoptions.events.models import EventCategory, EventType, InvolvementRole, ObjectKind

from .conftest import START


def _fingerprint(city) -> list:
    return [
        [(i.agency_slug, i.source_id, i.given_name, i.family_name, i.date_of_birth, i.postcode,
          i.nhs_number, i.person_key) for i in city.identities],
        [(e.event_type, e.source_reference, e.occurred_at, e.place, e.involvements, e.objects)
         for e in city.events],
        [(p.name, p.latitude, p.longitude) for p in city.places],
        [(g.members, g.exploiters) for g in city.groups],
    ]


def test_same_seed_gives_the_same_city(city):
    again = generate(children=400, seed=7, months=12, start=START)
    assert _fingerprint(again) == _fingerprint(city)


def test_a_different_seed_gives_a_different_city(city):
    other = generate(children=400, seed=8, months=12, start=START)
    assert _fingerprint(other) != _fingerprint(city)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_children_and_young_adults_have_the_right_ages(city):
    ages = {kind: [_age(p.date_of_birth, START) for p in city.people if p.kind == kind]
            for kind in ("child", "young_adult")}
    assert len(ages["child"]) == 400
    assert min(ages["child"]) == 10 and max(ages["child"]) == 17
    assert min(ages["young_adult"]) >= 18 and max(ages["young_adult"]) <= 24
    assert 0.2 < len(ages["young_adult"]) / 400 < 0.4


def test_every_identity_is_one_known_person_and_ids_are_unique_per_agency(city):
    keys = {p.key for p in city.people}
    assert all(i.person_key in keys for i in city.identities)
    pairs = Counter((i.agency_slug, i.source_id) for i in city.identities)
    assert max(pairs.values()) == 1
    references = Counter((e.agency_slug, e.source_reference) for e in city.events)
    assert max(references.values()) == 1


def test_source_ids_do_not_reveal_who_is_who(city):
    by_person: dict[str, list[str]] = {}
    for i in city.identities:
        by_person.setdefault(i.person_key, []).append(i.source_id[-6:])
    shared = sum(1 for ids in by_person.values() if len(set(ids)) < len(ids))
    assert shared < 0.01 * len(by_person)
    assert not any(i.source_id.endswith(i.person_key[2:]) for i in city.identities)


def test_every_child_is_on_a_school_roll_and_registered_with_health(city):
    children = {p.key for p in city.people if p.kind == "child"}
    on_roll = {i.person_key for i in city.identities if i.agency_slug == "education"}
    with_gp = {i.person_key for i in city.identities if i.agency_slug == "health"}
    assert children <= on_roll and children <= with_gp
    assert all(i.school is not None for i in city.identities if i.agency_slug == "education")


def test_exploited_children_go_missing_more(city):
    missing = Counter()
    for e in city.events:
        if e.event_type == "missing_episode":
            for identity, role in e.involvements:
                if role == "missing_person":
                    missing[city.identities[identity].person_key] += 1
    exploited = [p.key for p in city.people if p.kind == "child" and p.is_exploited]
    others = [p.key for p in city.people if p.kind == "child" and not p.is_exploited]
    assert exploited, "a city of 400 children has some exploited children"
    rate = sum(missing[k] for k in exploited) / len(exploited)
    assert rate > 5 * sum(missing[k] for k in others) / len(others)


def test_groups_are_real_sized_with_exploiters(city):
    people = city.people
    assert city.groups
    for group in city.groups:
        assert 2 <= len(group.members) <= 15
        assert all(people[m].is_exploited for m in group.members)
        assert group.exploiters and all(people[x].is_exploiter for x in group.exploiters)


def test_emergency_department_records_are_mostly_anonymised(city):
    ed = [i for i in city.identities if i.agency_slug == "hospital-ed"]
    anonymised = [i for i in ed if not i.family_name and i.date_of_birth is None]
    assert len(anonymised) / len(ed) > 0.5
    assert all(i.given_name and i.postcode for i in anonymised)


def test_nhs_numbers_held_by_health_are_valid_except_the_deliberate_slips(city):
    health = [i for i in city.identities if i.agency_slug == "health"]
    invalid = [i for i in health if not is_valid_nhs_number(i.nhs_number)]
    assert all("nhs_invalid" in i.variations for i in invalid)
    assert len(invalid) < 0.05 * len(health)
    assert all(is_valid_nhs_number(p.nhs_number) for p in city.people)


def test_agencies_vary_their_records(city):
    seen = Counter(v for i in city.identities for v in i.variations)
    for variation in ("nickname", "typo_given", "old_address", "dob_missing", "anonymised"):
        assert seen[variation] > 0, variation
    police = [i for i in city.identities if i.agency_slug == "police"]
    assert any(not i.nhs_number for i in police)


def test_only_the_partnership_vocabulary_is_used(city):
    assert {e.event_type for e in city.events} <= set(EventType.values)
    assert {e.category for e in city.events} <= set(EventCategory.values)
    assert {r for e in city.events for _i, r in e.involvements} <= set(InvolvementRole.values)
    assert {k for e in city.events for k, _d in e.objects} <= set(ObjectKind.values)
    assert {p.place_type for p in city.places} <= set(PlaceType.values)
    assert {e.event_type for e in city.events} == set(EventType.values)


def test_missing_episodes_end_after_they_start_and_within_the_period(city):
    for e in city.events:
        assert START <= e.occurred_at.date() <= city.end
        assert e.reported_at >= e.occurred_at
        if e.event_type == "missing_episode":
            assert e.ended_at > e.occurred_at


def test_places_lie_near_bristol(city):
    for place in city.places:
        assert 51.38 < place.latitude < 51.54 and -2.72 < place.longitude < -2.49


@pytest.mark.parametrize("children, seed, months, reason", [
    (0, 1, 12, "children"), (2_000_001, 1, 12, "children"), (-5, 1, 12, "children"),
    (10, -1, 12, "seed"), (10, 1, 0, "months"), (10, 1, 61, "months"), ("10", 1, 12, "children"),
    (10, 1.5, 12, "seed"),
])
def test_impossible_sizes_are_refused_naming_the_argument(children, seed, months, reason):
    with pytest.raises(ValueError, match=f"^{reason} "):
        check(children, seed, months)


def test_the_default_period_ends_at_the_start_of_this_month():
    assert default_start(date(2026, 3, 15), 12) == date(2025, 3, 1)
    assert default_start(date(2026, 1, 2), 1) == date(2025, 12, 1)
