"""A network of people from shared events, recorded associations and intelligence links.

Inputs are Polars tables of ids only (no names): `involvements` (event_id, person_id, and
occurred_at if recency decay is used), `associations` and `intelligence` (person_id, other_id,
and recorded_at if recency decay is used). The output is a `PersonNetwork`: an undirected igraph
graph whose edge weight is the sum of the weights of every link between two people, and whose
edge `sources` records which kinds of link (co-involvement, association, intelligence) joined them.
"""

import random
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import igraph as ig
import numpy as np
import polars as pl

from saferoptions.analytics._checks import (
    require_columns,
    require_int_between,
    require_no_nulls,
    require_positive,
    require_timezone_aware,
)
from saferoptions.analytics.errors import AnalyticsInputError

# Bit flags so one integer per edge says which kinds of link join two people.
SOURCE_BITS = {"co_involvement": 1, "association": 2, "intelligence": 4}


@dataclass(frozen=True)
class EdgeWeights:
    """How much one link of each kind adds to the tie between two people."""

    # A recorded association is a practitioner's judgement; one shared event may be chance;
    # intelligence is graded and often unconfirmed. Partners configure these in settings.
    co_involvement: float = 1.0
    association: float = 2.0
    intelligence: float = 1.0


@dataclass(frozen=True)
class RecencyDecay:
    """Older links count for less: a link loses half its weight every `half_life_days`."""

    as_of: datetime
    half_life_days: float = 365.0


@dataclass
class PersonNetwork:
    """People (vertices, by index) and the weighted, sourced ties between them."""

    graph: ig.Graph
    person_ids: np.ndarray
    parameters: dict = field(default_factory=dict)

    def index_of(self, person_id: int) -> int | None:
        """The vertex index of `person_id`, or None if they have no links."""
        position = int(np.searchsorted(self.person_ids, person_id))
        if position < len(self.person_ids) and self.person_ids[position] == person_id:
            return position
        return None


def build_network(
    *,
    involvements: pl.DataFrame | None = None,
    associations: pl.DataFrame | None = None,
    intelligence: pl.DataFrame | None = None,
    weights: EdgeWeights | None = None,
    decay: RecencyDecay | None = None,
    max_event_size: int = 10,
) -> PersonNetwork:
    """Build the person network; events with more than `max_event_size` people are skipped."""
    weights = weights or EdgeWeights()
    _check_parameters(weights, decay, max_event_size)
    parts = []
    if involvements is not None:
        parts.append(_co_involvement_links(involvements, weights, decay, max_event_size))
    recorded = (
        ("associations", "association", associations),
        ("intelligence", "intelligence", intelligence),
    )
    for table, kind, frame in recorded:
        if frame is not None:
            parts.append(_recorded_links(frame, table, kind, getattr(weights, kind), decay))
    links = _combine(parts)
    parameters = {
        "weights": asdict(weights),
        "max_event_size": max_event_size,
        "recency_decay": (
            {"as_of": decay.as_of.isoformat(), "half_life_days": decay.half_life_days}
            if decay
            else None
        ),
    }
    return _to_network(links, parameters)


def _check_parameters(weights: EdgeWeights, decay: RecencyDecay | None, max_size: int) -> None:
    for name, value in asdict(weights).items():
        require_positive(value, f"weights.{name}", allow_zero=True)
    require_int_between(max_size, "max_event_size", 2, 10_000)
    if decay is not None:
        require_positive(decay.half_life_days, "decay.half_life_days")
        if decay.as_of.tzinfo is None:
            raise AnalyticsInputError("decay.as_of", "must be timezone-aware")


def _decayed(weight: float, decay: RecencyDecay | None, column: str) -> pl.Expr:
    """The link weight, halved for every half-life between `column` and `decay.as_of`."""
    if decay is None:
        return pl.lit(weight, dtype=pl.Float64)
    # Both sides in UTC: Polars will not subtract datetimes in different time zones.
    as_of = pl.lit(decay.as_of.astimezone(UTC)).dt.convert_time_zone("UTC")
    age_days = (as_of - pl.col(column).dt.convert_time_zone("UTC")).dt.total_seconds() / 86_400
    # A link dated after `as_of` (clock skew, late entry) counts in full, not more.
    return weight * (0.5 ** (age_days.clip(lower_bound=0) / decay.half_life_days))


def _co_involvement_links(
    frame: pl.DataFrame, weights: EdgeWeights, decay: RecencyDecay | None, max_size: int
) -> pl.DataFrame:
    """One link for every pair of people involved in the same (not too crowded) event."""
    columns = ["event_id", "person_id"] + (["occurred_at"] if decay else [])
    require_columns(frame, "involvements", columns)
    require_no_nulls(frame, "involvements", columns)
    if decay:
        require_timezone_aware(frame, "involvements", "occurred_at")
    people = frame.select(columns).unique(["event_id", "person_id"])
    # A crowd at one incident is not a peer group: big events would add cliques of strangers.
    small = people.group_by("event_id").len().filter(pl.col("len") <= max_size)
    people = people.join(small.select("event_id"), on="event_id")
    pairs = people.join(people.select("event_id", "person_id"), on="event_id", suffix="_b")
    pairs = pairs.filter(pl.col("person_id") < pl.col("person_id_b"))
    return pairs.select(
        a=pl.col("person_id").cast(pl.Int64),
        b=pl.col("person_id_b").cast(pl.Int64),
        weight=_decayed(weights.co_involvement, decay, "occurred_at"),
        sources=pl.lit(SOURCE_BITS["co_involvement"], dtype=pl.Int64),
    )


def _recorded_links(
    frame: pl.DataFrame, table: str, kind: str, weight: float, decay: RecencyDecay | None
) -> pl.DataFrame:
    """Links someone recorded between two people (associations or intelligence)."""
    columns = ["person_id", "other_id"] + (["recorded_at"] if decay else [])
    require_columns(frame, table, columns)
    require_no_nulls(frame, table, columns)
    if decay:
        require_timezone_aware(frame, table, "recorded_at")
    one, other = pl.col("person_id").cast(pl.Int64), pl.col("other_id").cast(pl.Int64)
    return frame.filter(one != other).select(
        a=pl.min_horizontal(one, other),
        b=pl.max_horizontal(one, other),
        weight=_decayed(weight, decay, "recorded_at"),
        sources=pl.lit(SOURCE_BITS[kind], dtype=pl.Int64),
    )


def _combine(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Sum the weights of every link between the same two people and keep all their sources."""
    schema = {"a": pl.Int64, "b": pl.Int64, "weight": pl.Float64, "sources": pl.Int64}
    if not parts:
        return pl.DataFrame(schema=schema)
    links = pl.concat([p.cast(schema) for p in parts])
    combined = links.group_by("a", "b").agg(pl.col("weight").sum(), pl.col("sources").bitwise_or())
    # Zero-weight links (a source weighted 0) are not ties at all.
    return combined.filter(pl.col("weight") > 0).sort("a", "b")


def _to_network(links: pl.DataFrame, parameters: dict) -> PersonNetwork:
    a = links.get_column("a").to_numpy()
    b = links.get_column("b").to_numpy()
    people = pl.concat([links.get_column("a"), links.get_column("b")]).unique().sort()
    person_ids = people.to_numpy().astype(np.int64)
    # Pairs of Python ints are the quickest form igraph accepts.
    edges = zip(
        np.searchsorted(person_ids, a).tolist(),
        np.searchsorted(person_ids, b).tolist(),
        strict=True,
    )
    graph = ig.Graph(n=len(person_ids), edges=list(edges))
    graph.es["weight"] = links.get_column("weight").to_list()
    graph.es["sources"] = links.get_column("sources").to_list()
    return PersonNetwork(graph=graph, person_ids=person_ids, parameters=parameters)


def source_names(bits: int) -> tuple[str, ...]:
    """The kinds of link recorded in an edge's `sources` flags, e.g. ("association",)."""
    return tuple(name for name, bit in SOURCE_BITS.items() if bits & bit)


@dataclass(frozen=True)
class Connector:
    """A member who holds a suggested group together."""

    person_id: int
    betweenness: float
    strength: float


@dataclass(frozen=True)
class SuggestedGroup:
    """A community found in the network, for an analyst to confirm, name and open as a case."""

    number: int
    members: tuple[int, ...]
    size: int
    density: float
    internal_share: float
    key_connectors: tuple[Connector, ...]


@dataclass
class GroupSuggestions:
    """Suggested groups, the community of every person, and how they were found."""

    groups: list[SuggestedGroup]
    membership: dict[int, int]
    modularity: float
    method: dict


def find_groups(
    network: PersonNetwork,
    *,
    resolution: float = 2.0,
    min_group_size: int = 3,
    seed: int = 1,
    n_iterations: int = 2,
    connectors: int = 3,
    betweenness_max_size: int = 60,
) -> GroupSuggestions:
    """Find communities with Leiden (modularity) and summarise those of `min_group_size` or more.

    The default resolution 2.0 recovered the synthetic city's true groups best (1 merges some
    of them); `resolution_for_group_size` suits large, well-mixed networks.
    """
    _check_group_parameters(min_group_size, n_iterations, connectors)
    require_int_between(betweenness_max_size, "betweenness_max_size", 2, 100_000)
    graph = network.graph
    require_positive(resolution, "resolution")
    membership = _leiden(graph, resolution, seed, n_iterations)
    summary = _GroupMeasures(graph, membership, min_group_size, betweenness_max_size)
    groups = summary.groups(network.person_ids, connectors)
    return GroupSuggestions(
        groups=groups,
        membership=dict(zip(network.person_ids.tolist(), membership.tolist(), strict=True)),
        modularity=_modularity(graph, membership, resolution),
        method={
            "algorithm": "Leiden (igraph community_leiden)",
            "objective": "modularity",
            "resolution": round(resolution, 3),
            "n_iterations": n_iterations,
            "seed": seed,
            "min_group_size": min_group_size,
            "key_connectors": (
                f"betweenness within the group (groups up to {betweenness_max_size} people), "
                "then strength of ties within the group"
            ),
            "network": network.parameters,
        },
    )


def _check_group_parameters(minimum: int, iterations: int, connectors: int) -> None:
    require_int_between(minimum, "min_group_size", 2, 10_000)
    require_int_between(iterations, "n_iterations", 1, 100)
    require_int_between(connectors, "connectors", 0, 100)


def resolution_for_group_size(network: PersonNetwork, group_size: int) -> float:
    """A modularity resolution for a large, well-mixed network of small groups.

    Plain modularity merges small groups in a large network when random ties cross between
    them (its resolution limit). At n^2 / (2 E s^2), for n people, E ties and groups of s
    people with average ties, two such groups are merged only if joined by more than about one
    average tie. Sparse networks of real records (few ties outside groups) need far less.
    """
    require_int_between(group_size, "group_size", 2, 10_000)
    graph = network.graph
    if graph.ecount() == 0:
        return 1.0
    return max(1.0, graph.vcount() ** 2 / (2 * graph.ecount() * group_size**2))


def _leiden(graph: ig.Graph, resolution: float, seed: int, n_iterations: int) -> np.ndarray:
    # igraph draws on one process-wide generator: seed it for this run, then hand it back.
    ig.set_random_number_generator(random.Random(seed))
    try:
        partition = graph.community_leiden(
            objective_function="modularity",
            weights="weight" if graph.ecount() else None,
            resolution=resolution,
            n_iterations=n_iterations,
        )
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(partition.membership, dtype=np.int64)


def _modularity(graph: ig.Graph, membership: np.ndarray, resolution: float) -> float:
    if graph.ecount() == 0:
        return 0.0
    value = graph.modularity(membership.tolist(), weights="weight", resolution=resolution)
    return round(float(value), 4)


class _GroupMeasures:
    """Size, density, cohesion and connectors of every community, computed in one pass."""

    def __init__(self, graph: ig.Graph, membership: np.ndarray, min_size: int, btw_max: int):
        self.membership = membership
        count = int(membership.max()) + 1 if len(membership) else 0
        self.sizes = np.bincount(membership, minlength=count)
        edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        weight = np.asarray(graph.es["weight"] if graph.ecount() else [], dtype=np.float64)
        src, dst = edges[:, 0], edges[:, 1]
        inside = membership[src] == membership[dst]
        own = membership[src[inside]]
        self.internal_edges = np.bincount(own, minlength=count)
        self.internal_weight = np.bincount(own, weights=weight[inside], minlength=count)
        n = len(membership)
        self.total_strength = np.bincount(src, weight, n) + np.bincount(dst, weight, n)
        self.strength = np.bincount(src[inside], weight[inside], n) + np.bincount(
            dst[inside], weight[inside], n
        )
        self.kept = np.flatnonzero(self.sizes >= min_size)
        sized = (self.sizes >= min_size) & (self.sizes <= btw_max)
        within = np.flatnonzero(inside)[sized[own]]
        self.betweenness = self._betweenness(graph, within)
        # Rounded once for the whole network: per-person rounding is slow at 100,000 people.
        self._betweenness_shown = np.round(self.betweenness, 2).tolist()
        self._strength_shown = np.round(self.strength, 2).tolist()

    @staticmethod
    def _betweenness(graph: ig.Graph, edges: np.ndarray) -> np.ndarray:
        """Betweenness of each person within their own group, in one call over all groups."""
        # Only ties inside a (small enough) group remain, so paths never leave the group.
        subgraph = graph.subgraph_edges(edges.tolist(), delete_vertices=False)
        return np.asarray(subgraph.betweenness(directed=False), dtype=np.float64)

    def groups(self, person_ids: np.ndarray, connectors: int) -> list[SuggestedGroup]:
        bounds = np.concatenate([[0], np.cumsum(self.sizes)])
        # Vertices by community; inside each, by person id (members) or by importance (ranked).
        members = np.argsort(self.membership, kind="stable")
        ranked = np.lexsort((-self.strength, -self.betweenness, self.membership))
        density = self._densities()
        share = self._internal_shares(members, bounds)
        order = sorted(self.kept.tolist(), key=lambda c: (-self.sizes[c], -density[c]))
        groups = []
        for number, c in enumerate(order, start=1):
            top = ranked[bounds[c] : bounds[c] + min(connectors, int(self.sizes[c]))]
            groups.append(
                SuggestedGroup(
                    number=number,
                    members=tuple(person_ids[members[bounds[c] : bounds[c + 1]]].tolist()),
                    size=int(self.sizes[c]),
                    density=round(float(density[c]), 3),
                    internal_share=round(float(share[c]), 3),
                    key_connectors=self._connectors(top, person_ids),
                )
            )
        return groups

    def _densities(self) -> np.ndarray:
        pairs = self.sizes * (self.sizes - 1) / 2.0
        return np.divide(self.internal_edges, pairs, out=np.zeros(len(pairs)), where=pairs > 0)

    def _internal_shares(self, members: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Share of members' tie weight that stays inside the group (1: a closed group)."""
        total = np.add.reduceat(self.total_strength[members], bounds[:-1]) if len(members) else []
        total = np.asarray(total, dtype=np.float64)
        return np.divide(2 * self.internal_weight, total, out=np.zeros(len(total)), where=total > 0)

    def _connectors(self, vertices: np.ndarray, person_ids: np.ndarray) -> tuple[Connector, ...]:
        return tuple(
            Connector(int(person_ids[v]), self._betweenness_shown[v], self._strength_shown[v])
            for v in vertices.tolist()
        )
