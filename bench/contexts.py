"""Contexts analytics: peer-group detection speed and agreement, hot-spot speed.

    python -m bench.contexts            # 100,000 people / 300,000 links; 1,000,000 events
    python -m bench.contexts --quick    # small sizes, a smoke test

Targets (issue 7): community detection over 100,000 people and 300,000 links in at most 5 s;
hot spots over 1,000,000 events in at most 5 s; agreement of the recovered groups with the
true groups (adjusted Rand index and NMI) reported, from the synthetic city when it exists,
otherwise from a planted-partition network (said in "groups_source").
"""

import os
import time
from contextlib import contextmanager

import numpy as np
import polars as pl
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from bench.common import parser, peak_memory_mb, progress, report, timed
from saferoptions.analytics.hotspots import BRISTOL, find_hotspots, hexagon_geojson
from saferoptions.analytics.networks import build_network, find_groups, resolution_for_group_size
from saferoptions.analytics.synthetic import planted_partition


@contextmanager
def cpu_timed(figures: dict, name: str):
    """Wall time (as `timed`) and this process's CPU seconds, `<name>` and `<name>_cpu`.

    CPU seconds hardly change when other work shares the machine; wall time does.
    """
    start = time.process_time()
    with timed(figures, name):
        yield
    figures[f"{name}_cpu"] = round(time.process_time() - start, 3)


def bench_communities(figures: dict, people: int, ties: int) -> None:
    # Repeated links between the same two people are summed into one tie, so draw 25% more
    # links than the distinct ties wanted.
    links = ties * 5 // 4
    progress(f"planted partition: {people:,} people, {links:,} links (about {ties:,} ties)")
    planted = planted_partition(people=people, links=links, mixing=0.1, seed=1)
    with cpu_timed(figures, "network_build_s"):
        network = build_network(associations=planted.links)
    with cpu_timed(figures, "community_detection_s"):
        # A large, well-mixed network: plain modularity would merge the small planted groups.
        resolution = resolution_for_group_size(network, 4)
        suggestions = find_groups(network, resolution=resolution)
    figures["planted_resolution"] = round(resolution, 1)
    for suffix in ("", "_cpu"):
        figures[f"community_total_s{suffix}"] = round(
            figures[f"network_build_s{suffix}"] + figures[f"community_detection_s{suffix}"], 3
        )
    figures["community_people"] = network.graph.vcount()
    figures["community_links_drawn"] = links
    figures["community_ties"] = network.graph.ecount()
    figures["suggested_groups"] = len(suggestions.groups)
    figures["planted_ari"], figures["planted_nmi"] = _agreement(
        planted.true_group, suggestions.membership
    )


def bench_hotspots(figures: dict, events: int) -> None:
    progress(f"hot spots: {events:,} events")
    frame = _city_events(events, seed=2)
    with cpu_timed(figures, "hotspots_s"):
        result = find_hotspots(frame, bounds=BRISTOL, resolution=9, k=1, kde_bandwidth=2)
    with timed(figures, "hotspots_geojson_s"):
        features = hexagon_geojson(result)["features"]
    figures["hotspot_events"] = events
    figures["hotspot_cells"] = result.method["cells"]
    figures["hotspot_hot_cells"] = result.hot_cells.height
    figures["hotspot_features"] = len(features)


def _city_events(count: int, seed: int) -> pl.DataFrame:
    """Events over Bristol: three quarters spread out, a quarter around twenty busy places."""
    rng = np.random.default_rng(seed)
    spread = count * 3 // 4
    lat = rng.uniform(BRISTOL.min_lat, BRISTOL.max_lat, count)
    lng = rng.uniform(BRISTOL.min_lng, BRISTOL.max_lng, count)
    centres = np.column_stack([rng.uniform(51.42, 51.52, 20), rng.uniform(-2.68, -2.53, 20)])[
        rng.integers(0, 20, count - spread)
    ]
    lat[spread:] = centres[:, 0] + rng.normal(0, 0.002, count - spread)
    lng[spread:] = centres[:, 1] + rng.normal(0, 0.003, count - spread)
    seconds = rng.integers(1_735_689_600, 1_767_225_600, count)
    return pl.DataFrame(
        {
            "lat": np.clip(lat, BRISTOL.min_lat, BRISTOL.max_lat),
            "lng": np.clip(lng, BRISTOL.min_lng, BRISTOL.max_lng),
            "occurred_at": pl.Series(seconds * 1_000_000).cast(pl.Datetime("us", "UTC")),
        }
    )


def bench_city_agreement(figures: dict, children: int) -> None:
    """Recover the synthetic city's true groups from its events and recorded ties."""
    try:
        from saferoptions.city.generator import generate
    except ImportError:
        figures["groups_source"] = "planted"
        figures["ari"], figures["nmi"] = figures["planted_ari"], figures["planted_nmi"]
        return
    progress(f"synthetic city: {children:,} children")
    city = generate(children=children, seed=1)
    involvements, associations = _city_links(city)
    network = build_network(involvements=involvements, associations=associations)
    suggestions = find_groups(network)
    truth = {m: g for g, group in enumerate(city.groups) for m in group.members}
    # A true member absent from the network (no events, no ties) counts as found alone.
    found = {p: suggestions.membership.get(p, -1 - p) for p in truth}
    figures["groups_source"] = f"synthetic city (children={children}, seed=1)"
    figures["city_true_groups"] = len(city.groups)
    figures["city_true_members"] = len(truth)
    figures["city_members_in_network"] = sum(p in suggestions.membership for p in truth)
    figures["city_suggested_groups"] = len(suggestions.groups)
    figures["ari"], figures["nmi"] = _agreement(truth, found)
    figures["best_match_jaccard"] = _best_match_jaccard(city.groups, suggestions.groups)


def _city_links(city) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Involvements and non-family ties by true person (as if linkage were perfect)."""
    index = {person.key: i for i, person in enumerate(city.people)}
    person_of = [index[identity.person_key] for identity in city.identities]
    involvements = pl.DataFrame(
        [
            (event.index, person_of[identity])
            for event in city.events
            for identity, _role in event.involvements
        ],
        schema={"event_id": pl.Int64, "person_id": pl.Int64},
        orient="row",
    )
    associations = pl.DataFrame(
        [
            (person_of[tie.identity], person_of[tie.other_identity])
            for tie in city.relationships
            if tie.kind != "family"
        ],
        schema={"person_id": pl.Int64, "other_id": pl.Int64},
        orient="row",
    )
    return involvements, associations


def _agreement(truth: dict, found: dict) -> tuple[float, float]:
    people = [p for p in truth if p in found]
    true_labels = [truth[p] for p in people]
    found_labels = [found[p] for p in people]
    return (
        round(float(adjusted_rand_score(true_labels, found_labels)), 4),
        round(float(normalized_mutual_info_score(true_labels, found_labels)), 4),
    )


def _best_match_jaccard(true_groups, suggested) -> float:
    """For each true group, the best Jaccard overlap with any suggested group; the mean."""
    if not true_groups:
        return 0.0
    sets = [set(g.members) for g in suggested]
    scores = []
    for group in true_groups:
        members = set(group.members) | set(group.exploiters)
        best = max((len(members & s) / len(members | s) for s in sets), default=0.0)
        scores.append(best)
    return round(float(np.mean(scores)), 4)


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    people, links, events, children = (
        (5_000, 15_000, 50_000, 1_000) if args.quick else (100_000, 300_000, 1_000_000, 10_000)
    )
    figures: dict = {"quick": args.quick}
    bench_communities(figures, people, links)
    bench_hotspots(figures, events)
    bench_city_agreement(figures, children)
    figures["targets"] = {"community_total_s": 5.0, "hotspots_s": 5.0}
    figures["peak_memory_mb"] = peak_memory_mb()
    # Other work on the machine slows the timings; this says how busy it was.
    figures["load_average_1min"] = round(os.getloadavg()[0], 2)
    report("contexts", figures)


if __name__ == "__main__":
    main()
