"""Planted-partition networks: people in known groups, for tests and benchmarks."""

from dataclasses import dataclass

import numpy as np
import polars as pl


@dataclass
class PlantedNetwork:
    """Links between people (as an associations table) and each person's true group."""

    links: pl.DataFrame
    true_group: dict[int, int]


def planted_partition(
    *,
    people: int,
    links: int,
    smallest: int = 4,
    largest: int = 20,
    mixing: float = 0.1,
    seed: int = 0,
    first_id: int = 1,
) -> PlantedNetwork:
    """People split into groups of `smallest`..`largest`; a `mixing` share of links cross groups."""
    rng = np.random.default_rng(seed)
    sizes = _group_sizes(rng, people, smallest, largest)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    inside = int(links * (1 - mixing))
    # Pick each inside link's group in proportion to its number of possible pairs.
    pairs = sizes * (sizes - 1.0)
    group = rng.choice(len(sizes), inside, p=pairs / pairs.sum())
    one = (rng.random(inside) * sizes[group]).astype(np.int64)
    step = 1 + (rng.random(inside) * (sizes[group] - 1)).astype(np.int64)
    other = (one + step) % sizes[group]
    a = np.concatenate([starts[group] + one, rng.integers(0, people, links - inside)])
    b = np.concatenate([starts[group] + other, rng.integers(0, people, links - inside)])
    labels = np.repeat(np.arange(len(sizes)), sizes)
    frame = pl.DataFrame({"person_id": a + first_id, "other_id": b + first_id})
    ids = np.arange(people) + first_id
    return PlantedNetwork(frame, dict(zip(ids.tolist(), labels.tolist(), strict=True)))


def _group_sizes(rng: np.random.Generator, people: int, smallest: int, largest: int):
    sizes = rng.integers(smallest, largest + 1, size=people // smallest + 1)
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), people)) + 1]
    sizes[-1] -= int(sizes.sum()) - people
    if sizes[-1] < 2 and len(sizes) > 1:
        # Fold a leftover of one person into the previous group rather than leave a singleton.
        sizes[-2] += sizes[-1]
        sizes = sizes[:-1]
    return sizes.astype(np.int64)
