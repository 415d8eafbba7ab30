"""Linking a list of person records in memory: train on them, score, decide, cluster.

Used by the `link-file` tool and the benchmark; no database. (The database service does the
same steps but keeps a stored model version and reviewers' decisions.)
"""

import datetime as dt
from dataclasses import dataclass, field

from . import model as linkage_model
from . import records

# Below this many linkable records there is nothing to learn from: records stay apart.
MIN_RECORDS_TO_TRAIN = 10


@dataclass
class BatchResult:
    """Which cluster each record is in, the best automatic link of each, and the unsure pairs."""

    cluster_of: dict[str, str]
    best_link: dict[str, float]
    review: list = field(default_factory=list)
    unlinkable: dict[str, str] = field(default_factory=dict)
    splink_model: dict | None = None
    pairs_scored: int = 0


def link_records(raw: list[dict], *, thresholds: linkage_model.Thresholds | None = None,
                 engine: str = "duckdb", today: dt.date | None = None,
                 min_details: int = records.MIN_DETAILS, u_max_pairs: float = 5e6) -> BatchResult:
    """Link records (dicts with `record_id` and the raw fields) into clusters."""
    limits = thresholds or linkage_model.Thresholds()
    rows, unlinkable = [], {}
    for item in raw:
        row = records.prepare(item["record_id"], item, today=today)
        reason = records.why_unlinkable(row, min_details=min_details)
        if reason:
            unlinkable[row["unique_id"]] = reason
        else:
            rows.append(row)
    all_ids = [str(item["record_id"]) for item in raw]
    if len(rows) < MIN_RECORDS_TO_TRAIN:
        return BatchResult({i: i for i in all_ids}, {}, unlinkable=unlinkable)
    linker = linkage_model.linker_for(rows, engine=engine)
    splink_model = linkage_model.train(linker, u_max_pairs=u_max_pairs)
    pairs = linkage_model.score(linker, min_probability=limits.review)
    links, review, best = [], [], {}
    for pair in pairs:
        verdict = limits.decide(pair.match_probability, pair.gammas)
        if verdict == "link":
            links.append(pair)
        elif verdict == "review":
            review.append(pair)
    cluster_of, held_back = cluster(all_ids, links, rows)
    review += held_back
    for pair in links:
        if cluster_of[pair.left] == cluster_of[pair.right]:
            for rid in (pair.left, pair.right):
                best[rid] = max(best.get(rid, 0.0), pair.match_probability)
    return BatchResult(cluster_of, best, review, unlinkable, splink_model, len(pairs))


def cluster(ids: list[str], links: list, rows: list[dict]) -> tuple[dict[str, str], list]:
    """Clusters from the automatic links, strongest first; links held back by a conflict."""
    links = sorted(links, key=lambda p: (-p.match_probability, p.left, p.right))
    facts = {r["unique_id"]: (r["nhs_number"], r["dob"]) for r in rows}
    by_ends = {(p.left, p.right): p for p in links}
    cluster_of, held = linkage_model.clusters(ids, [(p.left, p.right) for p in links],
                                              facts=facts)
    return cluster_of, [by_ends[ends] for ends in held]
