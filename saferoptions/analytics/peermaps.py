"""Peer maps for a child or a group, and group summaries, that respect what the viewer may see.

People the viewer may not see appear only as masked stubs: no id, and a label made up for this
map alone ("Not shown A"), given in random order so it says nothing about who they are.
Counts of people the viewer cannot see are never shown exactly when small (1 to threshold-1 is
shown as "<threshold"), so a small group cannot be singled out by its numbers.
"""

import random
import secrets
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from saferoptions.analytics._checks import require_int_between
from saferoptions.analytics.errors import EmptyGroupError
from saferoptions.analytics.networks import PersonNetwork, source_names
from saferoptions.analytics.suppression import suppress_count

CanSee = Callable[[int], bool]


def suppressed(count: int, threshold: int) -> str:
    """A count safe to show: the one small-number rule (`analytics.suppression`), as text."""
    return str(suppress_count(count, threshold))


@dataclass(frozen=True)
class PeerNode:
    """One person on the map: `person_id` is None, always, when the viewer may not see them."""

    label: str
    person_id: int | None
    masked: bool
    distance: int


@dataclass(frozen=True)
class PeerLink:
    """A tie on the map; between two masked people neither weight nor sources are shown."""

    one: str
    other: str
    weight: float | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PeerMap:
    """The people around a child or a group, ties between them, and a count of the rest."""

    nodes: tuple[PeerNode, ...]
    links: tuple[PeerLink, ...]
    not_shown: str
    depth: int
    suppression_threshold: int


def peer_map(
    network: PersonNetwork,
    centre: Iterable[int],
    *,
    can_see: CanSee,
    depth: int = 2,
    suppress_below: int = 5,
    rng: random.Random | None = None,
) -> PeerMap:
    """The map of people within `depth` ties of `centre` (one child, or a group's members)."""
    centre = list(dict.fromkeys(int(p) for p in centre))
    if not centre:
        raise EmptyGroupError("centre", "names nobody")
    require_int_between(depth, "depth", 1, 3)
    require_int_between(suppress_below, "suppress_below", 2, 100)
    distance = _distances(network, centre, depth)
    seen = {p: bool(can_see(p)) for p in distance}
    drawn = _drawn(network, distance, seen, centre)
    labels = _labels(drawn, seen, rng or secrets.SystemRandom())
    nodes = tuple(
        PeerNode(labels[p], p if seen[p] else None, not seen[p], distance[p])
        for p in sorted(drawn, key=lambda p: (distance[p], labels[p]))
    )
    return PeerMap(
        nodes=nodes,
        links=_links(network, drawn, seen, labels),
        not_shown=suppressed(len(distance) - len(drawn), suppress_below),
        depth=depth,
        suppression_threshold=suppress_below,
    )


def _distances(network: PersonNetwork, centre: list[int], depth: int) -> dict[int, int]:
    """Each person within `depth` ties of the centre, with their number of steps from it."""
    distance = dict.fromkeys(centre, 0)
    frontier = [v for p in centre if (v := network.index_of(p)) is not None]
    for step in range(1, depth + 1):
        reached = set()
        for vertex in frontier:
            reached.update(network.graph.neighbors(vertex))
        frontier = []
        for vertex in reached:
            person = int(network.person_ids[vertex])
            if person not in distance:
                distance[person] = step
                frontier.append(vertex)
    return distance


def _drawn(network: PersonNetwork, distance: dict, seen: dict, centre: list[int]) -> set[int]:
    """The visible, the centre, and masked people tied directly to someone visible.

    A masked person reached only through other masked people is not drawn: the viewer could
    do nothing with them, and drawing them would reveal the shape of a hidden group.
    """
    drawn = {p for p in distance if seen[p]} | set(centre)
    for person in distance:
        if seen[person]:
            continue
        vertex = network.index_of(person)
        neighbours = network.graph.neighbors(vertex) if vertex is not None else []
        ids = network.person_ids[np.asarray(neighbours, dtype=np.int64)].tolist()
        if any(seen.get(other, False) for other in ids):
            drawn.add(person)
    return drawn


def _labels(drawn: set[int], seen: dict, rng: random.Random) -> dict[int, str]:
    masked = [p for p in drawn if not seen[p]]
    # Shuffled so the letters follow neither the ids nor the order people were found in.
    rng.shuffle(masked)
    labels = {p: f"Person {p}" for p in drawn if seen[p]}
    labels.update({p: f"Not shown {_letters(i)}" for i, p in enumerate(masked)})
    return labels


def _letters(index: int) -> str:
    """A, B, ... Z, AA, AB, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def _links(network: PersonNetwork, drawn: set, seen: dict, labels: dict) -> tuple[PeerLink, ...]:
    vertices = [v for p in drawn if (v := network.index_of(p)) is not None]
    if not vertices:
        return ()
    graph = network.graph
    links = []
    for edge in graph.es.select(_within=vertices):
        one, other = (int(network.person_ids[v]) for v in edge.tuple)
        open_tie = seen[one] or seen[other]
        links.append(
            PeerLink(
                labels[one],
                labels[other],
                round(edge["weight"], 1) if open_tie else None,
                source_names(edge["sources"]) if open_tie else (),
            )
        )
    return tuple(sorted(links, key=lambda link: (link.one, link.other)))


@dataclass(frozen=True)
class GroupView:
    """A group as one viewer may see it: the members they may see, and safe counts."""

    visible_members: tuple[int, ...]
    not_shown: str
    size: str


def group_view(members: Iterable[int], *, can_see: CanSee, suppress_below: int = 5) -> GroupView:
    """The members this viewer may see, with counts that never single out a small hidden few."""
    members = list(dict.fromkeys(int(p) for p in members))
    if not members:
        raise EmptyGroupError("members", "the group has nobody in it")
    require_int_between(suppress_below, "suppress_below", 2, 100)
    visible = tuple(sorted(p for p in members if can_see(p)))
    hidden = len(members) - len(visible)
    # With the visible members listed, an exact size would give away a suppressed hidden count.
    small = 0 < hidden < suppress_below
    size = f"<{len(visible) + suppress_below}" if small else str(len(members))
    return GroupView(visible, suppressed(hidden, suppress_below), size)
