"""Keyed Bloom-filter matching on the synthetic city: quality per report shape, speed, attacks.

`python -m bench.pprl [--quick]`. Thresholds per shape are chosen on the tuning seed (the lowest
keeping precision at 0.995) and shown on the report seed beside the thresholds in
`linkage/bloom.py`; a month of stored encodings is attacked without the key. Prints one JSON
line of figures.
"""

import datetime as dt
import time

import numpy as np

from saferoptions.city import bloom_eval as ev
from saferoptions.city.generator import generate
from saferoptions.linkage import bloom, normalise

from .common import parser, peak_memory_mb, progress, report, timed

KEY = b"bench key for the partnership!!!"
SHAPE_NAMES = {bloom.SHAPES[0]: "full", bloom.SHAPES[1]: "name_postcode",
               bloom.SHAPES[2]: "name_dob"}


def _scores(children: int, seed: int, reports: int):
    city = generate(children=children, seed=seed, months=1, start=dt.date(2025, 1, 1))
    known, rows = ev.split(city, seed)
    asked = ev.partner_reports(city, reports, seed)
    return city, rows, ev.score(bloom.Encoder(KEY), rows, asked, known)


def _per_shape(scores, thresholds) -> dict:
    out = {"all": ev.quality(scores, thresholds)}
    for shape, name in SHAPE_NAMES.items():
        out[name] = ev.quality(scores, thresholds, only=shape) | {"threshold": thresholds[shape]}
    return out


def _attack(city, reports: int) -> dict:
    enc = bloom.Encoder(KEY)
    month = [p for _, p in ev.partner_reports(city, reports, 99)]
    stored = [enc.encode(p, bloom.present(p)) for p in month]
    truth = {"given": [normalise.canonical_forename(p.given_name) for p in month],
             "family": [(normalise.name(p.family_name) or "").replace(" ", "") for p in month]}
    public = ev.public_names(city)
    return {f"{attack.__name__}_{field}": ev.recovered(attack(stored, public[field]), truth[field])
            for attack in (ev.pattern_attack, ev.bigram_attack) for field in truth}


def _speed(rows, queries: int) -> dict:
    enc = bloom.Encoder(KEY)
    start = time.perf_counter()
    index = bloom.Index(enc, rows)
    built = time.perf_counter() - start
    times = []
    for _, person in rows[:queries]:
        t = time.perf_counter()
        index.match(enc.encode(person), bloom.SHAPES[0])
        times.append((time.perf_counter() - t) * 1000)
    return {"index_rows": len(rows), "index_build_seconds": round(built, 2),
            "match_p50_ms": round(float(np.percentile(times, 50)), 2),
            "match_p95_ms": round(float(np.percentile(times, 95)), 2)}


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=20_000)
    p.add_argument("--reports", type=int, default=5000)
    args = p.parse_args()
    if args.quick:
        args.children, args.reports = 2000, 1000
    figures: dict = {"children": args.children, "reports": args.reports}
    progress("tuning on seed 1")
    with timed(figures, "tune_seconds"):
        _, _, tuning = _scores(args.children, 1, args.reports)
        chosen = ev.choose_thresholds(tuning)
    figures["chosen_on_seed_1"] = {SHAPE_NAMES[s]: t for s, t in chosen.items()}
    figures["lead_needed"] = bloom.MARGIN  # over every other person, or nobody is named
    progress("reporting on seed 2")
    city, rows, shown = _scores(args.children, 2, args.reports)
    figures["seed_2_with_bloom_thresholds"] = _per_shape(shown, bloom.THRESHOLDS)
    figures["seed_2_with_chosen_thresholds"] = _per_shape(shown, chosen)
    progress("attacking a month of stored encodings")
    figures["attack_recovered_share"] = _attack(city, min(args.reports, 1000))
    figures.update(_speed(rows, 300))
    figures["peak_memory_mb"] = peak_memory_mb()
    figures["targets"] = {"recall": 0.95, "precision": 0.99, "attack_recovered": 0.01}
    report("pprl", figures)


if __name__ == "__main__":
    main()
