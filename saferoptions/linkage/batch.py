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
    review_only: int = 0  # records linkable only through review (too sparse to link alone)


def link_records(raw: list[dict], *, thresholds: linkage_model.Thresholds | None = None,
                 engine: str = "duckdb", today: dt.date | None = None,
                 min_details: int = records.MIN_DETAILS, u_max_pairs: float = 5e6,
                 memory_limit: str | None = None) -> BatchResult:
    """Link records (dicts with `record_id` and the raw fields) into clusters."""
    limits = thresholds or linkage_model.Thresholds()
    rows, unlinkable, sparse = [], {}, set()
    for item in raw:
        row = records.prepare(item["record_id"], item, today=today)
        reason = records.why_unlinkable(row, min_details=min_details)
        if reason:
            unlinkable[row["unique_id"]] = reason
        else:
            rows.append(row)
            if records.review_only(row, min_details=min_details):
                sparse.add(row["unique_id"])
    all_ids = [str(item["record_id"]) for item in raw]
    if len(rows) < MIN_RECORDS_TO_TRAIN:
        return BatchResult({i: i for i in all_ids}, {}, unlinkable=unlinkable)
    linker = linkage_model.linker_for(rows, engine=engine, memory_limit=memory_limit)
    splink_model = linkage_model.train(linker, u_max_pairs=u_max_pairs, records=len(rows))
    pairs = linkage_model.score(linker, min_probability=limits.review)
    links, review, best = [], [], {}
    for pair in pairs:
        verdict = limits.decide(pair.match_probability, pair.gammas,
                                review_only=pair.left in sparse or pair.right in sparse)
        if verdict == "link":
            links.append(pair)
        elif verdict == "review":
            review.append(pair)
    cluster_of, held_back = cluster(all_ids, links, rows)
    review = linkage_model.one_review_per_persons(
        review + held_back, cluster_of, ends=lambda p: (p.left, p.right), scored=lambda p: p)
    for pair in links:
        if cluster_of[pair.left] == cluster_of[pair.right]:
            for rid in (pair.left, pair.right):
                best[rid] = max(best.get(rid, 0.0), pair.match_probability)
    return BatchResult(cluster_of, best, review, unlinkable, splink_model, len(pairs), len(sparse))


def cluster(ids: list[str], links: list, rows: list[dict]) -> tuple[dict[str, str], list]:
    """Clusters from the automatic links, strongest first; links held back by a conflict."""
    links = sorted(links, key=lambda p: (-p.match_probability, p.left, p.right))
    facts = {r["unique_id"]: (r["nhs_number"], r["dob"]) for r in rows}
    by_ends = {(p.left, p.right): p for p in links}
    cluster_of, held = linkage_model.clusters(ids, [(p.left, p.right) for p in links],
                                              facts=facts)
    return cluster_of, [by_ends[ends] for ends in held]
