"""Batch linkage with Splink 5: train the model on the records themselves, score pairs, cluster.

Training follows Splink's usual recipe: the prior (how likely two random records are the same
person) from near-certain deterministic rules, u probabilities by random sampling, and m
probabilities by expectation-maximisation, once per training blocking rule. Pure analytics:
no Django here, so the same code serves the database service and the `link-file` tool.
"""

import logging
import math
from dataclasses import dataclass, field

import pyarrow as pa
from rapidfuzz.distance import Levenshtein
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from .comparisons import (
    BLOCKING_RULES,
    COLUMNS,
    COMPARISONS,
    DETERMINISTIC_RULES,
    TRAINING_RULES,
    vetoed_gammas,
)

SCHEMA = pa.schema([("unique_id", pa.string())] + [(c, pa.string()) for c in COLUMNS])
ENGINES = ("duckdb", "spark")
# How much of the true matches the deterministic rules are thought to find (for the prior).
DETERMINISTIC_RECALL = 0.7


class EngineUnavailable(RuntimeError):
    """The requested Splink backend cannot run on this machine (e.g. pyspark not installed)."""


@dataclass
class Thresholds:
    """Match probabilities: at or above `auto_link` linked; at or above `review` reviewed."""

    auto_link: float = 0.99
    review: float = 0.5

    def as_dict(self) -> dict:
        return {"auto_link": self.auto_link, "review": self.review}

    def decide(self, probability: float, gammas: dict[str, int]) -> str | None:
        """'link', 'review' or None for a scored pair; a vetoed pair is at most reviewed."""
        if probability >= self.auto_link and not _vetoed(gammas):
            return "link"
        if probability >= self.review:
            return "review"
        return None


def _vetoed(gammas: dict[str, int]) -> bool:
    return any(gammas.get(name) == gamma for name, gamma in vetoed_gammas().items())


@dataclass
class ScoredPair:
    """Two records Splink scored, with the agreement level (gamma) of each comparison."""

    left: str
    right: str
    match_weight: float
    match_probability: float
    gammas: dict[str, int] = field(default_factory=dict)


def settings_creator(engine: str = "duckdb") -> SettingsCreator:
    """The model's settings before training: comparisons, blocking rules, columns kept."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[c.splink_dict(engine) for c in COMPARISONS],
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in BLOCKING_RULES],
        retain_matching_columns=True,  # Splink 5 only outputs gamma_* with these
        retain_intermediate_calculation_columns=False,
    )


def as_table(rows: list[dict]) -> pa.Table:
    """Prepared rows as an Arrow table with every linkage column typed as text."""
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def _db_api(engine: str):
    if engine == "duckdb":
        return DuckDBAPI()
    if engine == "spark":
        from .spark import spark_db_api

        return spark_db_api()
    raise EngineUnavailable(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")


def linker_for(rows: list[dict], *, model: dict | None = None, engine: str = "duckdb") -> Linker:
    """A Splink linker over the rows, untrained or with a stored model's parameters."""
    db_api = _db_api(engine)
    frame = db_api.register(as_table(rows), dataset_display_name="identities")
    # Splink warns about levels unseen in small data; analysts need not see that.
    return Linker(frame, model or settings_creator(engine), log_level=logging.ERROR)


def train(linker: Linker, *, seed: int = 1, u_max_pairs: float = 5e6) -> dict:
    """Estimate the prior, u and m on the linker's own records; return Splink's model JSON."""
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on(*rule) for rule in DETERMINISTIC_RULES], recall=DETERMINISTIC_RECALL
    )
    training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    for rule in TRAINING_RULES:
        training.estimate_parameters_using_expectation_maximisation(
            block_on(*rule), estimate_without_term_frequencies=True
        )
    return linker.misc.save_model_to_json()


def score(linker: Linker, *, min_probability: float) -> list[ScoredPair]:
    """Every blocked pair at or above `min_probability`, scored by the linker's model."""
    predictions = linker.inference.predict(
        threshold_match_probability=min_probability, warning_mode="never"
    )
    gamma_columns = [f"gamma_{c.name}" for c in COMPARISONS]
    table = predictions.as_pyarrow_table()
    columns = {name: table.column(name).to_pylist() for name in
               ["unique_id_l", "unique_id_r", "match_weight", "match_probability", *gamma_columns]}
    predictions.drop_table_from_database_and_remove_from_cache()
    return [
        ScoredPair(
            left=columns["unique_id_l"][i], right=columns["unique_id_r"][i],
            match_weight=float(columns["match_weight"][i]),
            match_probability=float(columns["match_probability"][i]),
            gammas={c.name: int(columns[f"gamma_{c.name}"][i]) for c in COMPARISONS},
        )
        for i in range(table.num_rows)
    ]


def level_weights(model: dict) -> dict:
    """From Splink's model JSON: the prior match weight and each level's Bayes factor.

    Read through Splink's own Settings so untrained or unobserved levels get exactly the
    values Splink's predict uses.
    """
    dialect = model.get("sql_dialect") or "duckdb"
    settings = SettingsCreator.from_path_or_dict(model).get_settings(dialect)
    prior = settings._probability_two_random_records_match
    comparisons = {}
    for comparison in settings.comparisons:
        levels = {}
        for level in comparison.comparison_levels:
            bayes_factor = level._bayes_factor
            levels[level.comparison_vector_value] = {
                "label": level.label_for_charts,
                "bayes_factor": 1.0 if bayes_factor is None else float(bayes_factor),
            }
        comparisons[comparison.output_column_name] = levels
    return {"prior_match_weight": math.log2(prior / (1 - prior)), "comparisons": comparisons}


def contributions(weights: dict, gammas: dict[str, int]) -> dict:
    """Each comparison's level and its share of the match weight, for the review screen."""
    out = {}
    for name, gamma in gammas.items():
        level = weights["comparisons"][name][gamma]
        bf = level["bayes_factor"]
        out[name] = {"gamma": gamma, "label": level["label"], "bayes_factor": _finite(bf),
                     "match_weight": _finite(math.log2(bf) if bf > 0 else -math.inf)}
    return out


def _finite(value: float) -> float | None:
    # JSON (and PostgreSQL's jsonb) has no infinity: an unbounded weight is stored as null.
    return round(value, 6) if math.isfinite(value) else None


def clusters(ids: list[str], pairs: list[tuple[str, str]], *, facts: dict | None = None,
             ) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Connected components, strongest links first, never joining two clusters that conflict.

    `facts` maps an id to its (nhs_number, dob). One child has one NHS number and one date of
    birth, so two clusters holding different valid NHS numbers, or dates of birth too far apart
    to be a slip, are kept apart however they are chained; those links are returned as held
    back (for review). Each id is mapped to the smallest id of its cluster.
    """
    facts = facts or {}
    parent = {i: i for i in ids}
    held: dict[str, tuple[set, set]] = {
        i: ({facts[i][0]} - {None}, {facts[i][1]} - {None}) if i in facts else (set(), set())
        for i in ids
    }
    held_back = []

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for left, right in pairs:
        a, b = root(left), root(right)
        if a == b:
            continue
        if _conflict(held[a], held[b]):
            held_back.append((left, right))
            continue
        keep, gone = min(a, b), max(a, b)
        parent[gone] = keep
        held[keep] = (held[keep][0] | held[gone][0], held[keep][1] | held[gone][1])
        del held[gone]
    return {i: root(i) for i in ids}, held_back


def _conflict(a: tuple[set, set], b: tuple[set, set]) -> bool:
    nhs_a, dobs_a = a
    nhs_b, dobs_b = b
    if nhs_a and nhs_b and nhs_a != nhs_b:
        return True
    return any(not dates_compatible(x, y) for x in dobs_a for y in dobs_b)


def dates_compatible(a: str, b: str) -> bool:
    """Two ISO dates of birth that one child's records could both hold (a slip, not a new child)."""
    if a == b or Levenshtein.distance(a, b) <= 1:
        return True
    if a[5:] == b[5:] and abs(int(a[:4]) - int(b[:4])) <= 1:
        return True
    return a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]
