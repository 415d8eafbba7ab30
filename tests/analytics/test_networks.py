"""Person networks and suggested peer groups: no database needed."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from saferoptions.analytics.errors import AnalyticsInputError, MissingColumnError
from saferoptions.analytics.networks import (
    EdgeWeights,
    RecencyDecay,
    build_network,
    find_groups,
    resolution_for_group_size,
    source_names,
)
from saferoptions.analytics.synthetic import planted_partition


def _agreement(planted, suggestions):
    people = list(suggestions.membership)
    truth = [planted.true_group[p] for p in people]
    found = [suggestions.membership[p] for p in people]
    return adjusted_rand_score(truth, found), normalized_mutual_info_score(truth, found)


def _edge(network, one, other):
    a, b = network.index_of(one), network.index_of(other)
    return network.graph.es[network.graph.get_eid(a, b)]


def test_planted_groups_are_recovered():
    planted = planted_partition(people=600, links=3000, smallest=5, largest=15, mixing=0.05)
    network = build_network(associations=planted.links)
    suggestions = find_groups(network, resolution=resolution_for_group_size(network, 5))
    ari, nmi = _agreement(planted, suggestions)
    assert ari > 0.9
    assert nmi > 0.9


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), people=st.integers(150, 500))
def test_planted_groups_are_recovered_whatever_the_seed(seed, people):
    planted = planted_partition(
        people=people, links=people * 6, smallest=5, largest=12, mixing=0.05, seed=seed
    )
    network = build_network(associations=planted.links)
    resolution = resolution_for_group_size(network, 5)
    suggestions = find_groups(network, resolution=resolution, seed=seed)
    # Over 300 random (seed, size) draws ARI was 0.883 at worst, 0.967 at the median: in a
    # small network Leiden now and then joins two planted groups, which costs about 0.1.
    assert _agreement(planted, suggestions)[0] > 0.85


def test_plain_modularity_merges_small_groups_in_a_large_mixed_network():
    # The resolution limit: why `resolution_for_group_size` exists.
    planted = planted_partition(people=3000, links=12_000, smallest=4, largest=10, mixing=0.1)
    network = build_network(associations=planted.links)
    plain = _agreement(planted, find_groups(network, resolution=1.0))[0]
    sized = find_groups(network, resolution=resolution_for_group_size(network, 4))
    assert _agreement(planted, sized)[0] > 0.9 > plain


def test_same_seed_gives_same_groups():
    planted = planted_partition(people=300, links=1200, seed=3)
    network = build_network(associations=planted.links)
    first, again = find_groups(network, seed=7), find_groups(network, seed=7)
    assert [g.members for g in first.groups] == [g.members for g in again.groups]


def test_singletons_and_tiny_groups_are_not_suggested():
    # Two separate triangles, one pair and nothing else.
    links = pl.DataFrame(
        {"person_id": [1, 2, 3, 11, 12, 13, 21], "other_id": [2, 3, 1, 12, 13, 11, 22]}
    )
    suggestions = find_groups(build_network(associations=links), min_group_size=3)
    assert sorted(g.members for g in suggestions.groups) == [(1, 2, 3), (11, 12, 13)]
    assert all(g.size >= 3 and g.density == 1.0 for g in suggestions.groups)
    assert suggestions.method["objective"] == "modularity"


def test_key_connector_is_the_person_holding_the_group_together():
    # Person 1 is the only tie between two pairs; each copy is its own component.
    rows = []
    for offset in (0, 100):
        hub, a, b, c, d = (offset + i for i in (1, 2, 3, 4, 5))
        rows += [(hub, a), (hub, b), (hub, c), (hub, d), (a, b), (c, d)]
    links = pl.DataFrame(rows, schema=["person_id", "other_id"], orient="row")
    suggestions = find_groups(build_network(associations=links), resolution=1.0)
    hubs = {g.key_connectors[0].person_id for g in suggestions.groups}
    assert hubs == {1, 101}


def test_co_involvement_links_people_in_the_same_event_with_summed_weights():
    involvements = pl.DataFrame(
        {"event_id": [1, 1, 2, 2, 3, 3], "person_id": [10, 20, 10, 20, 20, 30]}
    )
    network = build_network(involvements=involvements, weights=EdgeWeights(co_involvement=1.5))
    assert _edge(network, 10, 20)["weight"] == 3.0
    assert source_names(_edge(network, 20, 30)["sources"]) == ("co_involvement",)


def test_sources_of_a_tie_are_all_kept():
    involvements = pl.DataFrame({"event_id": [1, 1], "person_id": [10, 20]})
    associations = pl.DataFrame({"person_id": [20], "other_id": [10]})
    intelligence = pl.DataFrame({"person_id": [10], "other_id": [20]})
    network = build_network(
        involvements=involvements, associations=associations, intelligence=intelligence
    )
    edge = _edge(network, 10, 20)
    assert source_names(edge["sources"]) == ("co_involvement", "association", "intelligence")
    assert edge["weight"] == 1.0 + 2.0 + 1.0


def test_crowded_events_do_not_make_ties():
    crowd = pl.DataFrame({"event_id": [1] * 30, "person_id": list(range(100, 130))})
    network = build_network(involvements=crowd, max_event_size=10)
    assert network.graph.ecount() == 0


def test_recency_decay_halves_a_link_each_half_life():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    associations = pl.DataFrame(
        {"person_id": [1, 3], "other_id": [2, 4], "recorded_at": [now, now - timedelta(days=365)]}
    )
    network = build_network(
        associations=associations, decay=RecencyDecay(as_of=now, half_life_days=365)
    )
    assert _edge(network, 1, 2)["weight"] == pytest.approx(2.0)
    assert _edge(network, 3, 4)["weight"] == pytest.approx(1.0)


def test_recency_decay_works_across_time_zones():
    london = ZoneInfo("Europe/London")
    associations = pl.DataFrame(
        {"person_id": [1], "other_id": [2], "recorded_at": [datetime(2025, 6, 1, 1, tzinfo=london)]}
    )
    decay = RecencyDecay(as_of=datetime(2026, 6, 1, tzinfo=UTC), half_life_days=365)
    network = build_network(associations=associations, decay=decay)
    assert _edge(network, 1, 2)["weight"] == pytest.approx(1.0)


def test_no_links_gives_no_groups():
    network = build_network(associations=pl.DataFrame({"person_id": [], "other_id": []}))
    assert find_groups(network).groups == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"associations": pl.DataFrame({"person_id": [1]})}, "associations.other_id"),
        (
            {"intelligence": pl.DataFrame({"person_id": [1], "other_id": [None]})},
            "intelligence.other_id",
        ),
        (
            {"involvements": pl.DataFrame({"event_id": [1], "person": [1]})},
            "involvements.person_id",
        ),
        ({"associations": [(1, 2)]}, "associations"),
        ({"weights": EdgeWeights(association=-1)}, "weights.association"),
        ({"max_event_size": 1}, "max_event_size"),
        ({"decay": RecencyDecay(as_of=datetime(2026, 1, 1))}, "decay.as_of"),
    ],
)
def test_bad_network_input_names_the_field(kwargs, field):
    with pytest.raises(AnalyticsInputError) as caught:
        build_network(**kwargs)
    assert caught.value.field == field


def test_decay_needs_timezone_aware_dates():
    associations = pl.DataFrame(
        {"person_id": [1], "other_id": [2], "recorded_at": [datetime(2026, 1, 1)]}
    )
    decay = RecencyDecay(as_of=datetime(2026, 6, 1, tzinfo=UTC))
    with pytest.raises(AnalyticsInputError, match="associations.recorded_at: must be timezone"):
        build_network(associations=associations, decay=decay)


def test_missing_column_is_a_value_error():
    with pytest.raises(ValueError, match="associations.other_id: column is missing"):
        build_network(associations=pl.DataFrame({"person_id": [1]}))
    assert issubclass(MissingColumnError, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"min_group_size": 1}, "min_group_size"), ({"resolution": -1.0}, "resolution")],
)
def test_bad_group_parameters_name_the_field(kwargs, field):
    network = build_network(associations=pl.DataFrame({"person_id": [1], "other_id": [2]}))
    with pytest.raises(AnalyticsInputError) as caught:
        find_groups(network, **kwargs)
    assert caught.value.field == field


@settings(max_examples=50, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.integers(1, 30), st.integers(1, 30)).filter(lambda p: p[0] != p[1]),
        min_size=1,
        max_size=80,
    )
)
def test_every_recorded_link_is_counted_once_whichever_way_round(pairs):
    forwards = pl.DataFrame(pairs, schema=["person_id", "other_id"], orient="row")
    backwards = forwards.select(person_id="other_id", other_id="person_id")
    one, other = build_network(associations=forwards), build_network(intelligence=backwards)
    assert sum(one.graph.es["weight"]) == 2.0 * len(pairs)
    assert sum(other.graph.es["weight"]) == 1.0 * len(pairs)
    assert one.graph.ecount() == other.graph.ecount() == len({tuple(sorted(p)) for p in pairs})
