"""Getis-Ord Gi* over H3 cells, with binary weights on the hexagon rings around each cell."""

import math

import numpy as np
import polars as pl
from h3.api import basic_int as h3_int

from saferoptions.analytics.errors import AnalyticsInputError

CORRECTIONS = {"fdr_bh": "Benjamini-Hochberg false discovery rate", "none": "none"}
_erfc = np.frompyfunc(math.erfc, 1, 1)


def getis_ord_gi_star(
    cells: np.ndarray, x: np.ndarray, *, k: int, alpha: float, correction: str
) -> pl.DataFrame:
    """Gi* z-score, two-sided p-value and significance for each cell of the study area.

    `cells` (sorted H3 ints) is the whole study area, `x` the value in each (zero where
    nothing happened). Each cell's neighbourhood is `grid_disk(cell, k)`, itself included
    (that is the star in Gi*), cut to the study area; every neighbour weighs 1.
    """
    if correction not in CORRECTIONS:
        raise AnalyticsInputError("correction", f"must be one of {', '.join(CORRECTIONS)}")
    own, neighbour = _neighbour_pairs(cells, k)
    z = _gi_star(x.astype(np.float64), own, neighbour)
    p = _erfc(np.abs(z) / math.sqrt(2)).astype(np.float64)
    significant = _significant(p, alpha, correction)
    return pl.DataFrame(
        {
            "cell_int": cells,
            "value": x,
            "neighbours": np.bincount(own, minlength=len(cells)),
            "gi_z": z,
            "p_value": p,
            "confidence": _confidence(z, p),
            "hot_spot": significant & (z > 0),
            "cold_spot": significant & (z < 0),
        }
    )


def _neighbour_pairs(cells: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (cell, neighbour) for every neighbour inside the study area."""
    disks = [h3_int.grid_disk(int(cell), k) for cell in cells]
    lengths = np.fromiter((len(d) for d in disks), dtype=np.int64, count=len(disks))
    own = np.repeat(np.arange(len(cells)), lengths)
    flat = np.fromiter((c for d in disks for c in d), dtype=np.uint64, count=int(lengths.sum()))
    position = np.searchsorted(cells, flat)
    position = np.minimum(position, len(cells) - 1)
    inside = cells[position] == flat
    return own[inside], position[inside]


def _gi_star(x: np.ndarray, own: np.ndarray, neighbour: np.ndarray) -> np.ndarray:
    """Ord and Getis (1995) Gi*, which is already a z-score, for binary weights."""
    n = len(x)
    if n < 2:
        return np.zeros(n)
    mean = x.mean()
    spread = math.sqrt(max((x**2).mean() - mean**2, 0.0))
    local_sum = np.bincount(own, weights=x[neighbour], minlength=n)
    weight_sum = np.bincount(own, minlength=n).astype(np.float64)
    # With binary weights the sum of squared weights equals the sum of weights.
    variance = (n * weight_sum - weight_sum**2) / (n - 1)
    denominator = spread * np.sqrt(np.clip(variance, 0, None))
    z = np.zeros(n)
    np.divide(local_sum - mean * weight_sum, denominator, out=z, where=denominator > 0)
    return z


def _significant(p: np.ndarray, alpha: float, correction: str) -> np.ndarray:
    if correction == "none":
        return p < alpha
    # Benjamini-Hochberg: thousands of cells are tested at once, so control false discoveries.
    order = np.argsort(p)
    ranked = p[order]
    passing = np.flatnonzero(ranked <= alpha * np.arange(1, len(p) + 1) / max(len(p), 1))
    significant = np.zeros(len(p), dtype=bool)
    if len(passing):
        significant[order[: passing[-1] + 1]] = True
    return significant


def _confidence(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The usual map bins before correction: +-99, +-95, +-90 (% confidence), or 0."""
    level = np.select([p < 0.01, p < 0.05, p < 0.10], [99, 95, 90], default=0)
    return (np.sign(z) * level).astype(np.int64)


def kernel_density(cells: np.ndarray, x: np.ndarray, *, bandwidth: int, cell_km2: float):
    """Smoothed events per km2: a quartic kernel over hexagon rings out to `bandwidth`.

    A cell `d` rings away weighs (1 - (d / (bandwidth + 1))^2)^2; weights are normalised per
    cell (over the neighbours inside the study area), so the map shows a local average rate.
    """
    own, neighbour, weight = [], [], []
    for d in range(bandwidth + 1):
        pairs = _ring_pairs(cells, d)
        own.append(pairs[0])
        neighbour.append(pairs[1])
        weight.append(np.full(len(pairs[0]), (1 - (d / (bandwidth + 1)) ** 2) ** 2))
    own, neighbour, weight = (np.concatenate(v) for v in (own, neighbour, weight))
    total = np.bincount(own, weights=weight, minlength=len(cells))
    smoothed = np.bincount(own, weights=weight * x[neighbour], minlength=len(cells))
    return smoothed / np.where(total > 0, total, 1.0) / cell_km2


def _ring_pairs(cells: np.ndarray, distance: int) -> tuple[np.ndarray, np.ndarray]:
    rings = [h3_int.grid_ring(int(cell), distance) for cell in cells]
    lengths = np.fromiter((len(r) for r in rings), dtype=np.int64, count=len(rings))
    own = np.repeat(np.arange(len(cells)), lengths)
    flat = np.fromiter((c for r in rings for c in r), dtype=np.uint64, count=int(lengths.sum()))
    position = np.minimum(np.searchsorted(cells, flat), len(cells) - 1)
    inside = cells[position] == flat
    return own[inside], position[inside]
