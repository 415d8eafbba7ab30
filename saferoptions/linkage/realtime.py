"""Real-time matching: score one arriving record against the index in-process, without SQL.

The trained Splink model's Bayes factors and the same comparisons and blocking rules as batch
linkage (`comparisons.py`) are evaluated with NumPy and RapidFuzz over an in-memory index:
each column is dictionary-encoded (value -> integer code, 0 = missing) and each blocking rule
is a sorted array of combined keys, so finding candidates is a binary search and comparing
them is a handful of vectorised operations. Same pair, same match weight as Splink's predict.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.process import cdist

from . import records
from .comparisons import BLOCKING_RULES, COLUMNS, COMPARISONS, Level
from .model import Thresholds, contributions, level_weights

# Columns compared with each other (dob with dob_swapped) share one dictionary of codes.
_SHARED_CODES = {"dob_swapped": "dob"}


def _plan(comparison) -> tuple[str, int, list]:
    # Splink takes the first level that holds: assign from the last level up, so earlier win.
    pairs = list(zip(comparison.levels, comparison.gammas(), strict=True))
    return comparison.name, pairs[-1][1], list(reversed(pairs[:-1]))


_PLANS = [_plan(c) for c in COMPARISONS]


@dataclass
class Candidate:
    """A person the arriving record may be, through their best-matching identity."""

    person_id: object
    identity_id: object
    match_weight: float
    probability: float
    decision: str | None
    contributions: dict = field(default_factory=dict)


class _Column:
    """One column of the index, dictionary-encoded."""

    def __init__(self):
        self.code_of: dict[str, int] = {"": 0}
        self.values: list[str] = [""]

    def encode(self, value: str | None) -> int:
        value = value or ""
        code = self.code_of.get(value)
        if code is None:
            code = self.code_of[value] = len(self.values)
            self.values.append(value)
        return code

    def lookup(self, value: str | None) -> int:
        """0 for missing, -1 for a value no indexed identity has."""
        return self.code_of.get(value or "", -1) if value else 0


class RealtimeMatcher:
    """An index of identities and a trained model, answering 'who is this?' in milliseconds."""

    def __init__(self, weights: dict, rows: Iterable[dict], *, thresholds: Thresholds,
                 min_details: int = records.MIN_DETAILS):
        self.thresholds = thresholds
        self.min_details = min_details
        self._weights = weights
        self._prior = weights["prior_match_weight"]
        self._log2_bf = {
            name: {g: (math.log2(lv["bayes_factor"]) if lv["bayes_factor"] > 0 else -math.inf)
                   for g, lv in levels.items()}
            for name, levels in weights["comparisons"].items()
        }
        self._lookup = {name: np.array([table.get(g, 0.0) for g in range(-1, max(table) + 1)])
                        for name, table in self._log2_bf.items()}
        self._build(rows)

    @classmethod
    def from_model(cls, model_json: dict, identities: Iterable[dict], *,
                   thresholds: Thresholds | None = None, today=None) -> "RealtimeMatcher":
        """Index identities (dicts: identity_id, person_id, raw fields) for a Splink model."""
        rows = (
            {**records.prepare(i["identity_id"], i, today=today), "person_id": i.get("person_id")}
            for i in identities
        )
        return cls(level_weights(model_json), rows, thresholds=thresholds or Thresholds())

    def _build(self, rows: Iterable[dict]) -> None:
        self._columns = {c: _Column() for c in COLUMNS if c not in _SHARED_CODES}
        for alias, owner in _SHARED_CODES.items():
            self._columns[alias] = self._columns[owner]
        codes = {c: [] for c in COLUMNS}
        ids, persons = [], []
        for row in rows:
            ids.append(row["unique_id"])
            persons.append(row.get("person_id"))
            for c in COLUMNS:
                codes[c].append(self._columns[c].encode(row[c]))
        self.ids = np.array(ids, dtype=object)
        self.persons = np.array(persons, dtype=object)
        self._codes = {c: np.array(v, dtype=np.int64) for c, v in codes.items()}
        self._values = {c: np.array(col.values, dtype=object) for c, col in self._columns.items()}
        self._blocks = [self._block_index(rule) for rule in BLOCKING_RULES]
        # For "same day and month, year +-1": each dob code's year and month-day as integers.
        dobs = self._values["dob"]
        self.dob_year = np.array([int(d[:4]) if d else -99 for d in dobs], dtype=np.int64)
        self.dob_month_day = np.array([int(d[5:7] + d[8:]) if d else -1 for d in dobs])

    def __len__(self) -> int:
        return len(self.ids)

    def _combined(self, rule, codes: dict) -> tuple[np.ndarray, np.ndarray]:
        key = np.zeros_like(codes[rule[0]])
        valid = np.ones(key.shape, dtype=bool)
        for c in rule:
            key = key * len(self._columns[c].values) + codes[c]
            valid &= codes[c] > 0
        return key, valid

    def _block_index(self, rule) -> tuple:
        key, valid = self._combined(rule, self._codes)
        rows = np.flatnonzero(valid)
        order = np.argsort(key[rows], kind="stable")
        return rule, key[rows][order], rows[order]

    def candidates(self, row: dict) -> np.ndarray:
        """Indexed rows sharing at least one blocking key with the record (Splink's union)."""
        query = {c: np.array([self._columns[c].lookup(row[c])]) for c in COLUMNS}
        found = []
        for rule, keys, rows in self._blocks:
            key, valid = self._combined(rule, query)
            if valid[0]:
                lo = np.searchsorted(keys, key[0], "left")
                found.append(rows[lo:np.searchsorted(keys, key[0], "right")])
        return np.unique(np.concatenate(found)) if found else np.array([], dtype=np.int64)

    def gammas(self, row: dict, rows: np.ndarray) -> dict[str, np.ndarray]:
        """The agreement level of each comparison between the record and each indexed row."""
        query = _Query(self, row, rows)
        out = {}
        for name, last, levels in _PLANS:
            gamma = np.full(len(rows), last, dtype=np.int64)
            for level, value in levels:
                gamma[query.holds(level)] = value
            out[name] = gamma
        return out

    def match_weights(self, gammas: dict[str, np.ndarray]) -> np.ndarray:
        total = np.full(len(next(iter(gammas.values()))), self._prior)
        for name, gamma in gammas.items():
            total += self._lookup[name][gamma + 1]  # gamma -1 (null) is the table's first entry
        return total

    def match(self, record: dict, *, exclude=None, limit: int = 10) -> list[Candidate]:
        """The persons this raw record may be, best first, at or above the review threshold."""
        row = records.prepare(record.get("identity_id", "new"), record)
        if records.why_unlinkable(row, min_details=self.min_details):
            return []
        return self.match_prepared(row, exclude=exclude, limit=limit,
                                   review_only=records.review_only(row,
                                                                   min_details=self.min_details))

    def match_prepared(self, row: dict, *, exclude=None, limit: int = 10,
                       review_only: bool = False) -> list[Candidate]:
        rows = self.candidates(row)
        if exclude is not None:
            rows = rows[self.ids[rows] != exclude]
        if not len(rows):
            return []
        gammas = self.gammas(row, rows)
        weights = self.match_weights(gammas)
        review_weight = math.log2(self.thresholds.review / (1 - self.thresholds.review))
        best: dict = {}
        for i in np.argsort(-weights, kind="stable"):
            if weights[i] < review_weight:
                break
            person = self.persons[rows[i]]
            key = person if person is not None else ("identity", self.ids[rows[i]])
            if key not in best:
                best[key] = i
        out = []
        for i in list(best.values())[:limit]:
            probability = 1 / (1 + 2 ** -weights[i])
            pair_gammas = {name: int(g[i]) for name, g in gammas.items()}
            decision = self.thresholds.decide(probability, pair_gammas, review_only=review_only)
            if decision is None:
                break
            out.append(Candidate(self.persons[rows[i]], self.ids[rows[i]], float(weights[i]),
                                 probability, decision,
                                 contributions(self._weights, pair_gammas)))
        return out


class _Query:
    """One record against its candidate rows, caching each column's codes and similarities."""

    def __init__(self, matcher: RealtimeMatcher, row: dict, rows: np.ndarray):
        self.matcher, self.row, self.rows = matcher, row, rows
        self._codes: dict[str, np.ndarray] = {}
        self._scores: dict[tuple, np.ndarray] = {}

    def codes(self, column: str) -> np.ndarray:
        if column not in self._codes:
            self._codes[column] = self.matcher._codes[column][self.rows]
        return self._codes[column]

    def mine(self, column: str) -> int:
        return self.matcher._columns[column].lookup(self.row[column])

    def holds(self, level: Level) -> np.ndarray:
        kind, col = level.kind, level.column
        if kind == "all":
            hit = np.ones(len(self.rows), dtype=bool)
            for part in level.parts:
                hit &= self.holds(part)
            return hit
        codes = self.codes(col)
        if kind == "null":
            return np.ones(len(codes), dtype=bool) if not self.row[col] else codes == 0
        if not self.row[col]:
            return np.zeros(len(codes), dtype=bool)
        if kind == "exact":
            return codes == self.mine(col)  # mine is never 0 here, so missing never matches
        if kind == "same_as":
            theirs_swapped, mine_swapped = self.codes(level.other), self.mine(level.other)
            return ((theirs_swapped == self.mine(col)) & (theirs_swapped > 0)) | (
                (codes == mine_swapped) & (mine_swapped > 0) & (codes > 0))
        if kind == "year_apart":
            year, month_day = self.matcher.dob_year, self.matcher.dob_month_day
            mine = self.row[col]
            return (codes > 0) & (month_day[codes] == int(mine[5:7] + mine[8:])) & (
                np.abs(year[codes] - int(mine[:4])) <= level.threshold)
        return (codes > 0) & self._similar(level)

    def _similar(self, level: Level) -> np.ndarray:
        key = (level.column, level.kind)
        if key not in self._scores:
            theirs = self.matcher._values[level.column][self.codes(level.column)]
            scorer = {"jaro_winkler": JaroWinkler.similarity,
                      "levenshtein": Levenshtein.distance}[level.kind]
            self._scores[key] = cdist([self.row[level.column]], theirs, scorer=scorer,
                                      dtype=np.float64)[0]
        scores = self._scores[key]
        if level.kind == "jaro_winkler":
            return scores >= level.threshold
        return scores <= level.threshold
