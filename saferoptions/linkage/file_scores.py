"""Every pair `link-file` scored, held as columns, not as a Python object each.

Scoring goes down to match weight -8 so that the prior can be re-estimated and the threshold
curve drawn from the pairs themselves: at 540,000 records that is tens of millions of pairs,
and as a `Pair` each (two ids, two floats, a dict of levels: about 1 KB) they took 5.4 GB.
Held here as numpy columns (ids as positions in the file, levels as small integers) they take
about 40 bytes each; a `Pair` is made only for the pairs a decision looks at (those at or above
the review threshold, and the report's sample around the link threshold). No Django here.
"""

import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker

from .file_model import SCORE_FLOOR_WEIGHT, FileModel, Pair


@dataclass
class Scored:
    """Scored pairs as columns: left and right (positions in `ids`), weight, probability and
    each comparison's level."""

    ids: list[str]
    left: np.ndarray
    right: np.ndarray
    weight: np.ndarray
    probability: np.ndarray
    gammas: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.weight)

    def pairs(self, keep: np.ndarray) -> list[Pair]:
        """`Pair`s for the positions where `keep` holds, in the order they were scored."""
        ids, names = self.ids, list(self.gammas)
        chosen = np.flatnonzero(keep)
        levels = [self.gammas[n][chosen].tolist() for n in names]
        return [Pair(ids[left], ids[right], weight, probability,
                     dict(zip(names, (lv[i] for lv in levels), strict=True)))
                for i, (left, right, weight, probability) in enumerate(zip(
                    self.left[chosen].tolist(), self.right[chosen].tolist(),
                    self.weight[chosen].tolist(), self.probability[chosen].tolist(),
                    strict=True))]

    def at_or_above(self, probability: float) -> list[Pair]:
        return self.pairs(self.probability >= probability)

    def around(self, probability: float, each_side: int) -> list[Pair]:
        """The `each_side` highest pairs below `probability` and lowest at or above it."""
        order = np.argsort(self.probability, kind="stable")
        cut = int(np.searchsorted(self.probability[order], probability, side="left"))
        keep = np.zeros(len(self), dtype=bool)
        keep[order[max(0, cut - each_side):cut + each_side]] = True
        return self.pairs(keep)


def score(linker: Linker, chosen: FileModel, ids: list[str]) -> Scored:
    """Every blocked pair down to SCORE_FLOOR_WEIGHT; `ids` the records' unique ids.

    Only the ids, the weight and the levels (as one byte each) leave the engine: the records'
    values Splink keeps beside every pair (it keeps the levels only with them) and the
    probability (re-estimated here from the weight) would more than double what Python holds,
    and each column is let go once it is converted.
    """
    predictions = linker.inference.predict(threshold_match_weight=SCORE_FLOOR_WEIGHT,
                                           warning_mode="never")
    names = chosen.comparison_names()
    wanted = ["unique_id_l", "unique_id_r", "CAST(match_weight AS DOUBLE) AS match_weight",
              *[f"CAST(gamma_{n} AS TINYINT) AS gamma_{n}" for n in names]]
    # Our own column and table names, never a file's: nothing here comes from the analyst.
    sql = f"SELECT {', '.join(wanted)} FROM {predictions.physical_name}"  # noqa: S608
    narrow = linker.misc.query_sql(sql)
    table = narrow.as_pyarrow_table()
    for done in (narrow, predictions):
        done.drop_table_from_database_and_remove_from_cache()
    known = pa.array(ids, type=pa.string())
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        if name.startswith("unique_id"):
            column = pc.index_in(column.cast(pa.string()), value_set=known)
        columns[name] = column.to_numpy(zero_copy_only=False)
        table = table.drop_columns([name])  # its buffers go with the last reference
    weight = columns["match_weight"].astype(np.float64)
    return Scored(ids, columns["unique_id_l"].astype(np.int32),
                  columns["unique_id_r"].astype(np.int32), weight, probability(weight),
                  {n: columns[f"gamma_{n}"].astype(np.int8) for n in names})


def reestimate_prior(scored: Scored, records: int, prior_weight: float,
                     rounds: int = 30) -> float:
    """The prior match weight at which the expected matches among scored pairs agree with it.

    Deterministic rules guess how many of the true matches they find; on a file with many
    typos that guess is far out, and every probability with it. Expectation-maximisation of
    the prior alone over the scored pairs (unscored pairs are taken as non-matches) fixes it.
    """
    total = records * (records - 1) / 2
    base = scored.weight - prior_weight
    weight = prior_weight
    for _ in range(rounds):
        expected = float(np.sum(probability(base + weight)))
        lam = min(max(expected / total, 1e-12), 0.5)
        weight = math.log2(lam / (1 - lam))
    scored.weight = base + weight
    scored.probability = probability(scored.weight)
    return weight


def probability(weights: np.ndarray) -> np.ndarray:
    """Match probability of each match weight (0 far below: 2 ** 60 overflows nothing)."""
    with np.errstate(over="ignore"):
        found = 1 / (1 + np.exp2(-weights))
    return np.where(weights > -60, found, 0.0)
