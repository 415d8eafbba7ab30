"""Batch linkage with Splink 5: train the model on the records themselves, score pairs, cluster.

Training follows Splink's usual recipe: the prior (how likely two random records are the same
person) from near-certain deterministic rules, u probabilities by random sampling, and m
probabilities by expectation-maximisation, once per training blocking rule. Pure analytics:
no Django here, so the same code serves the database service and the `link-file` tool.
"""

import logging
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
from rapidfuzz.distance import Levenshtein
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.exceptions import EMTrainingException  # not exported by Splink 5.0

from .comparisons import (
    BLOCKING_RULES,
    COLUMNS,
    COMPARISONS,
    DETERMINISTIC_RULES,
    FALLBACK_TRAINING_RULES,
    TRAINING_RULES,
    vetoed_gammas,
)

log = logging.getLogger(__name__)
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
    review: float = 0.3

    def as_dict(self) -> dict:
        return {"auto_link": self.auto_link, "review": self.review}

    def decide(self, probability: float, gammas: dict[str, int], *,
               review_only: bool = False) -> str | None:
        """'link', 'review' or None for a scored pair.

        A vetoed pair, or one with a record too sparse to link on its own (`review_only`), is
        at most reviewed.
        """
        if probability >= self.auto_link and not review_only and not _vetoed(gammas):
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


def _db_api(engine: str, memory_limit: str | None = None):
    if engine == "duckdb":
        return DuckDBAPI(_duckdb_connection(memory_limit))
    if engine == "spark":
        from .spark import spark_db_api  # noqa: PLC0415 pyspark is optional (the spark extra)

        return spark_db_api()
    raise EngineUnavailable(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")


def _duckdb_connection(memory_limit: str | None):
    """An in-memory DuckDB that spills to a private temporary folder beyond `memory_limit`.

    Without a limit DuckDB takes up to 80% of the machine, which a web server and its worker
    share; with one, a large linkage run slows down instead of being killed.
    """
    config = {"temp_directory": str(Path(tempfile.gettempdir()) / "saferoptions-linkage")}
    if memory_limit:
        config["memory_limit"] = memory_limit
    try:
        return duckdb.connect(":memory:", config=config)
    except duckdb.Error as exc:  # e.g. "4 gigs": DuckDB's own message names the setting
        raise EngineUnavailable(f"linkage memory limit {memory_limit!r} is not usable: {exc}"
                                ) from None


def linker_for(rows: list[dict], *, model: dict | None = None, engine: str = "duckdb",
               memory_limit: str | None = None) -> Linker:
    """A Splink linker over the rows, untrained or with a stored model's parameters."""
    db_api = _db_api(engine, memory_limit)
    frame = db_api.register(as_table(rows), dataset_display_name="identities")
    # Splink warns about levels unseen in small data; analysts need not see that.
    return Linker(frame, model or settings_creator(engine), log_level=logging.ERROR)


def train(linker: Linker, *, seed: int = 1, u_max_pairs: float = 5e6,
          records: int | None = None) -> dict:
    """Estimate the prior, u and m on the linker's own records; return Splink's model JSON."""
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on(*rule) for rule in DETERMINISTIC_RULES], recall=DETERMINISTIC_RECALL
    )
    training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    for rule in TRAINING_RULES:
        _expectation_maximisation(linker, rule)
    for rule in FALLBACK_TRAINING_RULES:
        if not _untrained(linker):
            break
        _expectation_maximisation(linker, rule)
    at_least_one_pair(linker, records)  # expectation-maximisation can take it to 0 again
    return linker.misc.save_model_to_json()


def at_least_one_pair(linker: Linker, records: int | None) -> None:
    """A prior of no match at all (records that hold each person once: no two agree on a
    deterministic rule) has no match weight, and Splink's scoring stops on log2(0). Start
    from one expected pair among the records instead (the file's own re-estimate, or the
    next training, moves it from there)."""
    settings = linker._settings_obj
    if settings._probability_two_random_records_match > 0:
        return
    pairs = records * (records - 1) / 2 if records and records > 1 else 1e9
    settings._probability_two_random_records_match = 1 / pairs


def _untrained(linker: Linker) -> list[str]:
    """Comparisons none of whose levels has a trained m probability."""
    saved = linker.misc.save_model_to_json()["comparisons"]
    return [c["output_column_name"] for c in saved
            if not any("m_probability" in level for level in c["comparison_levels"])]


def _expectation_maximisation(linker: Linker, rule: tuple[str, ...]) -> None:
    before = linker._settings_obj.core_model_settings.copy()
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*rule), estimate_without_term_frequencies=True
        )
    except (ValueError, EMTrainingException) as exc:
        # Splink 5.0 refuses an m probability EM drove to exactly 0 (a level seen only in
        # pairs it is sure are not matches: small or odd files), after it has already cut
        # the blocked comparison out of the linker's settings; and a rule no pair agrees on
        # cannot train at all. Put the settings back and go on with what the others train.
        linker._settings_obj.core_model_settings = before
        log.warning("linkage training on %s skipped: %s", "+".join(rule), exc)


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
             apart: list[tuple[str, str]] = (), compatible=None,
             ) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Connected components, strongest links first, never joining two clusters that conflict.

    `facts` maps an id to its (nhs_number, dob). One child has one NHS number and one date of
    birth, so two clusters holding different valid NHS numbers, or dates of birth too far apart
    to be a slip, are kept apart however they are chained; so are two clusters holding a pair
    a person said is `apart` (not a match, or a split), whatever third record links both.
    Those links are returned as held back (for review). Each id is mapped to the smallest id
    of its cluster. `compatible(a, b)` says whether two dates of birth could be one child's
    (default `dates_compatible`).
    """
    facts = facts or {}
    compatible = compatible or dates_compatible
    parent = {i: i for i in ids}
    # Per cluster root, the records it must never share a cluster with.
    kept_from: dict[str, set] = {}
    for a, b in apart:
        if a in parent and b in parent:
            kept_from.setdefault(a, set()).add(b)
            kept_from.setdefault(b, set()).add(a)
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
        if _conflict(held[a], held[b], compatible) or _kept_apart(a, b, kept_from, root):
            held_back.append((left, right))
            continue
        keep, gone = min(a, b), max(a, b)
        parent[gone] = keep
        held[keep] = (held[keep][0] | held[gone][0], held[keep][1] | held[gone][1])
        del held[gone]
        if gone in kept_from:
            kept_from.setdefault(keep, set()).update(kept_from.pop(gone))
    return {i: root(i) for i in ids}, held_back


def _kept_apart(a: str, b: str, kept_from: dict[str, set], root) -> bool:
    """Whether the clusters rooted at a and b hold a pair a person said are two children."""
    return any(root(x) == b for x in kept_from.get(a, ())) or any(
        root(x) == a for x in kept_from.get(b, ()))


def one_review_per_persons(items: list, cluster_of: dict, *, ends, scored) -> list:
    """The strongest unsure pair between each two clusters, none within one cluster.

    One reviewer's decision settles whether two would-be persons are one child, so asking
    about every pair of their records would only multiply the work. `ends(item)` gives an
    item's two record ids, `scored(item)` its ScoredPair.
    """
    best: dict = {}
    for item in items:
        a, b = ends(item)
        key = tuple(sorted((cluster_of.get(a, a), cluster_of.get(b, b)), key=str))
        if key[0] == key[1]:
            continue
        strength = (scored(item).match_probability, *sorted(map(str, (a, b))))
        if key not in best or strength > best[key][0]:
            best[key] = (strength, item)
    return [item for _, item in best.values()]


def _conflict(a: tuple[set, set], b: tuple[set, set], compatible=None) -> bool:
    nhs_a, dobs_a = a
    nhs_b, dobs_b = b
    if nhs_a and nhs_b and nhs_a != nhs_b:
        return True
    compatible = compatible or dates_compatible
    return any(not compatible(x, y) for x in dobs_a for y in dobs_b)


def dates_compatible(a: str, b: str) -> bool:
    """Two ISO dates of birth that one child's records could both hold (a slip, not a new child)."""
    if a == b or Levenshtein.distance(a, b) <= 1:
        return True
    if a[5:] == b[5:] and abs(int(a[:4]) - int(b[:4])) <= 1:
        return True
    return a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]


def weights_of(model) -> dict:
    """A stored model's (`models.LinkageModel`) level weights with integer gamma keys again."""
    return {
        "prior_match_weight": model.level_weights["prior_match_weight"],
        "comparisons": {name: {int(g): level for g, level in levels.items()}
                        for name, levels in model.level_weights["comparisons"].items()},
    }
