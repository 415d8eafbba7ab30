"""Ethnicity in the synthetic city: census shares, households alike, agencies' recording, and
its own random stream (nothing else in the city moved when it was added)."""

from collections import Counter

from saferoptions.city import generator
from saferoptions.city.ethnicity import CENSUS_2021_SHARES, RECORDED
from saferoptions.people.models import Ethnicity

from .conftest import START


def test_every_value_is_a_group_agencies_can_record(city):
    allowed = set(Ethnicity.values)
    assert set(CENSUS_2021_SHARES) <= allowed and "not_recorded" in allowed
    assert {p.ethnicity for p in city.people} <= set(CENSUS_2021_SHARES)
    assert {i.ethnicity for i in city.identities} <= allowed


def test_shares_follow_the_census_and_households_share_a_group(city):
    homes = Counter()
    for p in city.people:
        homes.setdefault(p.household, p.ethnicity)
        assert homes[p.household] == p.ethnicity
    drawn = Counter(homes.values())
    total = sum(drawn.values())
    white_british = drawn["white_british"] / total
    assert abs(white_british - 0.716) < 0.05, white_british
    assert sum(n for g, n in drawn.items() if g != "white_british") > 0.15 * total


def test_agencies_record_it_at_their_own_rates_and_mostly_right(city):
    truth = {p.key: p.ethnicity for p in city.people}
    by_agency: dict[str, list] = {}
    for i in city.identities:
        by_agency.setdefault(i.agency_slug, []).append(i)
    for agency in ("education", "police", "hospital-ed"):
        records = by_agency[agency]
        recorded = [i for i in records if i.ethnicity != "not_recorded"]
        assert abs(len(recorded) / len(records) - RECORDED[agency]) < 0.08, agency
        right = sum(i.ethnicity == truth[i.person_key] for i in recorded)
        assert right / len(recorded) > 0.9


def test_adding_ethnicity_moved_nothing_else(monkeypatch, city):
    monkeypatch.setattr(generator, "assign_ethnicity", lambda *a: None)
    without = generator.generate(children=400, seed=7, months=12, start=START)
    assert [(i.source_id, i.given_name, i.postcode) for i in without.identities] == [
        (i.source_id, i.given_name, i.postcode) for i in city.identities]
    assert [(e.source_reference, e.occurred_at) for e in without.events] == [
        (e.source_reference, e.occurred_at) for e in city.events]
