"""Linkage benchmark: accuracy and cost of batch linkage, and real-time matching latency.

`python -m bench.linkage [--quick]`. Batch: the synthetic city's agency identities for
`--children` children are linked with Splink (DuckDB) in memory, and checked against the city's
ground truth (`true_person_key`). Real-time: an index of `--index-size` identities from a second
city, queried with altered copies of indexed records. Prints one JSON line of figures.
"""

import itertools
import os
import random
import time
from collections import defaultdict

import numpy as np

from bench.common import parser, peak_memory_mb, progress, report, timed

# Review thresholds the benchmark reports recall and reviewers' work for.
REVIEW_CURVE = (0.1, 0.2, 0.3, 0.4, 0.5)


def _load_city(children: int, seed: int) -> tuple[list[dict], str]:
    """Raw records with truth, from the city generator (or this app's own, if it is absent)."""
    try:
        from saferoptions.city.generator import generate
    except ImportError:
        from saferoptions.linkage import synthetic

        return synthetic.generate(people=int(children * 1.3), seed=seed), "linkage.synthetic"
    city = generate(children=children, seed=seed)
    return [
        {"record_id": f"{i.agency_slug}:{i.source_id}", "first_name": i.given_name,
         "last_name": i.family_name, "dob": i.date_of_birth, "sex": i.sex,
         "postcode": i.postcode, "address": i.address, "phone": i.phone,
         "nhs_number": i.nhs_number, "true_person_key": i.person_key}
        for i in city.identities
    ], "saferoptions.city.generator"


def _pairs(groups) -> set:
    return {tuple(sorted(p)) for ids in groups.values() for p in itertools.combinations(ids, 2)}


def _after_review(cluster_of: dict, review, truth_of: dict) -> dict:
    """Clusters once reviewers have decided every queued pair correctly.

    A reviewer's "match" joins the two would-be persons, so a true link is found if auto links
    and correctly matched review pairs chain its two records together. "Not a match" joins
    nothing, so wrong review pairs cost reviewers' time but never precision.
    """
    parent = {c: c for c in set(cluster_of.values())}

    def root(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for pair in review:
        if truth_of[pair.left] == truth_of[pair.right]:
            a, b = root(cluster_of[pair.left]), root(cluster_of[pair.right])
            parent[max(a, b)] = min(a, b)
    return {rid: root(c) for rid, c in cluster_of.items()}


def batch_figures(raw: list[dict], figures: dict, *, memory_limit: str | None,
                  engine: str = "duckdb") -> dict:
    from saferoptions.linkage.batch import link_records
    from saferoptions.linkage.model import Thresholds

    default = Thresholds()
    floor = min(REVIEW_CURVE)
    with timed(figures, "batch_link_seconds"):
        # Scored down to the curve's floor, so one run shows every review threshold's cost.
        result = link_records(raw, thresholds=Thresholds(default.auto_link, floor),
                              memory_limit=memory_limit, engine=engine)
    truth = defaultdict(list)
    for r in raw:
        truth[r["true_person_key"]].append(r["record_id"])
    truth_of = {r["record_id"]: r["true_person_key"] for r in raw}
    true_pairs = _pairs(truth)
    found = defaultdict(list)
    for r in raw:
        found[result.cluster_of[r["record_id"]]].append(r["record_id"])
    linked = _pairs(found)
    right = linked & true_pairs
    curve = {str(t): _with_review(result, [p for p in result.review if p.match_probability >= t],
                                  truth_of, true_pairs) for t in REVIEW_CURVE}
    return {
        "records": len(raw),
        "true_persons": len(truth),
        "persons_found": len(found),
        "unmatched_too_little": len(result.unlinkable),
        "review_only_records": result.review_only,
        "true_links": len(true_pairs),
        "auto_link_precision": round(len(right) / max(1, len(linked)), 5),
        "auto_link_recall": round(len(right) / max(1, len(true_pairs)), 5),
        "review_threshold": default.review,
        **curve[str(default.review)],
        "by_review_threshold": curve,
        "splink_model": result.splink_model,
    }


def _with_review(result, review: list, truth_of: dict, true_pairs: set) -> dict:
    """Recall once reviewers decide `review` correctly, and what that asks of them."""
    after_review = _after_review(result.cluster_of, review, truth_of)
    groups = defaultdict(list)
    for rid, cluster in after_review.items():
        groups[cluster].append(rid)
    found = _pairs(groups) & true_pairs
    truly = sum(truth_of[p.left] == truth_of[p.right] for p in review)
    return {
        "recall_auto_plus_review": round(len(found) / max(1, len(true_pairs)), 5),
        "review_queue_pairs": len(review),
        "review_pairs_truly_one_child": round(truly / max(1, len(review)), 4),
    }


def _altered(record: dict, rng: random.Random) -> dict:
    """An arriving copy of a known record, as another agency might send it."""
    arriving = dict(record, identity_id="arriving")
    field = rng.choice(("postcode", "address", "phone", "nhs_number", "first_name"))
    if field == "first_name" and arriving["first_name"]:
        name = arriving["first_name"]
        arriving["first_name"] = name[:-1] if len(name) > 3 else name
    else:
        arriving[field] = ""
    return arriving


def realtime_figures(splink_model: dict, raw: list[dict], queries: int, figures: dict) -> dict:
    from saferoptions.linkage.realtime import RealtimeMatcher

    identities = [dict(r, identity_id=r["record_id"], person_id=r["true_person_key"])
                  for r in raw]
    with timed(figures, "realtime_index_build_seconds"):
        matcher = RealtimeMatcher.from_model(splink_model, identities)
    rng = random.Random(7)
    sample = rng.sample(identities, queries)
    latencies, cpu, right, asked = [], [], 0, 0
    for record in sample:
        arriving = _altered(record, rng)
        start, start_cpu = time.perf_counter(), time.thread_time()
        found = matcher.match(arriving, exclude=record["identity_id"])
        latencies.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        if found:
            asked += 1
            right += found[0].person_id == record["person_id"]
    ms = np.percentile(latencies, [50, 95, 99])
    cpu_ms = np.percentile(cpu, [50, 95, 99])
    return {
        "realtime_index_identities": len(matcher),
        "realtime_queries": queries,
        "realtime_p50_ms": round(float(ms[0]), 2),
        "realtime_p95_ms": round(float(ms[1]), 2),
        "realtime_p99_ms": round(float(ms[2]), 2),
        "realtime_max_ms": round(max(latencies), 2),
        # CPU time of the matching thread: what the latency is on a machine not shared.
        "realtime_cpu_p50_ms": round(float(cpu_ms[0]), 2),
        "realtime_cpu_p95_ms": round(float(cpu_ms[1]), 2),
        "realtime_cpu_p99_ms": round(float(cpu_ms[2]), 2),
        "realtime_top_candidate_right": round(right / max(1, asked), 4),
        "realtime_queries_with_candidates": asked,
    }


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=100_000)
    p.add_argument("--index-size", type=int, default=1_000_000)
    p.add_argument("--queries", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--memory-limit", default="4GB",
                   help="DuckDB's memory for the batch run, as the service's default setting")
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                   help="batch linkage's backend (spark: local mode unless "
                        "SAFEROPTIONS_SPARK_MASTER is set; batch_link_cpu_seconds then counts "
                        "this Python process only, not Spark's JVM)")
    p.add_argument("--only", choices=("batch", "realtime"),
                   help="run one part; realtime alone trains its model on a 5,000-child city")
    args = p.parse_args()
    if args.quick:
        args.children, args.index_size, args.queries = 2000, 50_000, 300
    if args.only == "realtime":
        args.children = 5000
    figures: dict = {"children": args.children, "engine": args.engine,
                     "load_average_at_start": os.getloadavg()[0]}
    progress(f"generating the city ({args.children} children)")
    with timed(figures, "generate_seconds"):
        raw, figures["generator"] = _load_city(args.children, args.seed)
    progress(f"linking {len(raw)} records")
    cpu_start = time.process_time()
    batch = batch_figures(raw, figures, memory_limit=args.memory_limit, engine=args.engine)
    figures["batch_link_cpu_seconds"] = round(time.process_time() - cpu_start, 1)
    splink_model = batch.pop("splink_model")
    figures.update(batch)
    figures["batch_peak_memory_mb"] = peak_memory_mb()
    del raw
    if args.only == "batch":
        figures["load_average_at_end"] = os.getloadavg()[0]
        report("linkage", figures)
        return
    progress(f"building a real-time index of about {args.index_size} identities")
    index_raw, _ = _load_city(max(1, int(args.index_size / 4.57)), args.seed + 1)
    index_raw = index_raw[: args.index_size]
    progress(f"querying it {args.queries} times")
    figures.update(realtime_figures(splink_model, index_raw, args.queries, figures))
    figures["peak_memory_mb"] = peak_memory_mb()
    figures["load_average_at_end"] = os.getloadavg()[0]
    figures["targets"] = {"auto_link_precision": 0.99, "recall_auto_plus_review": 0.98,
                          "realtime_p95_ms": 20}
    report("linkage", figures)


if __name__ == "__main__":
    main()
