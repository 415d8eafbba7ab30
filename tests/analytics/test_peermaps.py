"""Peer maps and group views never give away people the viewer may not see."""

import random
import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferoptions.analytics.errors import AnalyticsInputError, EmptyGroupError
from saferoptions.analytics.networks import build_network
from saferoptions.analytics.peermaps import _labels, group_view, peer_map, suppressed

# Ids far from every other number on a map (distances, weights, thresholds, letters).
BASE = 700_001


def _network(pairs, intelligence=()):
    associations = pl.DataFrame(
        [(BASE + a, BASE + b) for a, b in pairs], schema=["person_id", "other_id"], orient="row"
    )
    intel = None
    if intelligence:
        intel = pl.DataFrame(
            [(BASE + a, BASE + b) for a, b in intelligence],
            schema=["person_id", "other_id"],
            orient="row",
        )
    return build_network(associations=associations, intelligence=intel)


def _can_see(visible):
    allowed = {BASE + v for v in visible}
    return lambda person_id: person_id in allowed


@st.composite
def maps(draw):
    size = draw(st.integers(2, 25))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)).filter(
                lambda p: p[0] != p[1]
            ),
            min_size=1,
            max_size=60,
        )
    )
    visible = draw(st.sets(st.integers(0, size - 1)))
    centre = draw(st.sampled_from(sorted({a for a, _ in pairs})))
    return pairs, visible | {centre}, centre, draw(st.integers(2, 10))


@settings(max_examples=150, deadline=None)
@given(maps())
def test_peer_map_never_leaks_a_hidden_id(case):
    pairs, visible, centre, threshold = case
    result = peer_map(
        _network(pairs), [BASE + centre], can_see=_can_see(visible), suppress_below=threshold
    )
    hidden = {BASE + p for pair in pairs for p in pair} - {BASE + v for v in visible}
    text = repr(result)
    assert not any(str(person) in text for person in hidden)
    for node in result.nodes:
        assert (node.person_id is None) == node.masked
        if node.masked:
            assert re.fullmatch(r"Not shown [A-Z]+", node.label)
    assert {n.person_id for n in result.nodes if not n.masked} <= {BASE + v for v in visible}


@settings(max_examples=150, deadline=None)
@given(maps())
def test_peer_map_never_shows_a_small_count_of_hidden_people(case):
    pairs, visible, centre, threshold = case
    result = peer_map(
        _network(pairs), [BASE + centre], can_see=_can_see(visible), suppress_below=threshold
    )
    assert (
        result.not_shown == "0"
        or result.not_shown == f"<{threshold}"
        or (int(result.not_shown) >= threshold)
    )


def test_people_behind_hidden_people_are_counted_not_drawn():
    # 0 (visible) - 1 (hidden) - 2, 3 (hidden): 2 and 3 touch nobody visible.
    network = _network([(0, 1), (1, 2), (1, 3)])
    result = peer_map(network, [BASE], can_see=_can_see({0}), suppress_below=5)
    assert [n.masked for n in result.nodes] == [False, True]
    assert result.not_shown == "<5"


def test_ties_between_hidden_people_show_neither_weight_nor_source():
    network = _network([(0, 1), (0, 2), (1, 2)], intelligence=[(1, 2)])
    result = peer_map(network, [BASE], can_see=_can_see({0}))
    hidden_tie = [link for link in result.links if "Person" not in link.one + link.other]
    assert len(hidden_tie) == 1
    assert hidden_tie[0].weight is None and hidden_tie[0].sources == ()
    open_ties = [link for link in result.links if link not in hidden_tie]
    assert all(link.sources == ("association",) for link in open_ties)


def test_visible_people_are_shown_with_their_distance():
    network = _network([(0, 1), (1, 2), (2, 3)])
    result = peer_map(network, [BASE], can_see=lambda _: True, depth=2)
    assert {(n.person_id, n.distance) for n in result.nodes} == {
        (BASE, 0),
        (BASE + 1, 1),
        (BASE + 2, 2),
    }


def test_stub_letters_follow_neither_the_ids_nor_one_fixed_order():
    hidden = list(range(BASE, BASE + 12))
    seen = dict.fromkeys(hidden, False)
    by_rng = [_labels(set(hidden), seen, random.Random(seed)) for seed in range(4)]
    in_id_order = [by_rng[0][p] for p in sorted(hidden)]
    assert in_id_order != sorted(in_id_order)
    assert len({tuple(labels[p] for p in hidden) for labels in by_rng}) > 1
    assert all(not any(str(p) in label for p in hidden) for label in by_rng[0].values())


def test_a_person_without_ties_gets_a_map_of_themselves():
    result = peer_map(_network([(0, 1)]), [BASE + 50], can_see=lambda _: True)
    assert [n.person_id for n in result.nodes] == [BASE + 50]
    assert result.links == () and result.not_shown == "0"


def test_an_empty_centre_is_refused():
    with pytest.raises(EmptyGroupError, match="centre"):
        peer_map(_network([(0, 1)]), [], can_see=lambda _: True)


@pytest.mark.parametrize(
    ("kwargs", "field"), [({"depth": 0}, "depth"), ({"suppress_below": 1}, "suppress_below")]
)
def test_bad_map_parameters_name_the_field(kwargs, field):
    with pytest.raises(AnalyticsInputError) as caught:
        peer_map(_network([(0, 1)]), [BASE], can_see=lambda _: True, **kwargs)
    assert caught.value.field == field


@settings(max_examples=200, deadline=None)
@given(
    members=st.sets(st.integers(1, 10_000), min_size=1, max_size=40),
    data=st.data(),
    threshold=st.integers(2, 10),
)
def test_group_view_never_reveals_a_small_hidden_count(members, data, threshold):
    visible = data.draw(st.sets(st.sampled_from(sorted(members))))
    view = group_view(members, can_see=lambda p: p in visible, suppress_below=threshold)
    hidden = len(members) - len(visible)
    assert view.visible_members == tuple(sorted(visible))
    if 0 < hidden < threshold:
        assert view.not_shown == f"<{threshold}"
        assert view.size.startswith("<")
    else:
        assert view.not_shown == str(hidden) and view.size == str(len(members))


def test_an_empty_group_is_refused():
    with pytest.raises(EmptyGroupError, match="members: the group has nobody in it"):
        group_view([], can_see=lambda _: True)


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5")])
def test_suppressed_counts(count, shown):
    assert suppressed(count, 5) == shown


def test_a_group_map_starts_from_every_member_and_masks_hidden_members():
    network = _network([(0, 1), (1, 2), (2, 0), (2, 3)])
    result = peer_map(network, [BASE, BASE + 1, BASE + 2], can_see=_can_see({0, 2}), depth=1)
    centre = [n for n in result.nodes if n.distance == 0]
    assert sorted(n.person_id or 0 for n in centre) == [0, BASE, BASE + 2]
    assert [n.masked for n in result.nodes if n.distance == 1] == [True]
