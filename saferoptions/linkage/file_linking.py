"""Linking an analyst's file: fit the model to it, score, choose thresholds, cluster.

Nothing is dropped silently: a pair the model is unsure of (between the two thresholds, or
above them but at a veto level, or held back because it would join two dates of birth too far
apart) is handed back as unsure, for the review file, or linked with `link_unsure`.
No Django here.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from . import file_fields, file_model, file_moves, file_scores, file_small, records
from . import model as linkage_model

MIN_RECORDS_TO_TRAIN = 10
# The default thresholds are chosen from the fitted model's own probabilities (see
# choose_thresholds): links are expected to be at least this precise ...
TARGET_PRECISION = 0.998
# ... and links plus unsure pairs to hold at least this share of the expected true pairs.
TARGET_RECALL_WITH_UNSURE = 0.998
# A pair is linked only when the model holds it at least this likely: below it, chaining two
# clusters through a coin-flip pair costs more precision than the recall it brings (FEBRL4:
# precision 0.993 at 0.54), and the pair is handed over as unsure instead.
LOWEST_LINK_THRESHOLD = 0.9
# The app's own benchmark curve (docs/linkage.md): below 0.2 the review file grows several
# times over for a few more true pairs.
LOWEST_REVIEW_THRESHOLD = 0.2
# A sparse record joins the one person it has a pair with (attach_sparse) when that pair is
# at least this likely: more likely than not, with no other candidate in the whole file.
SOLE_CANDIDATE_PROBABILITY = 0.5


@dataclass
class Thresholds:
    """Link at or above `link`; unsure at or above `review`; `how` says where they came from."""

    link: float
    review: float
    how: str
    expected_precision: float | None = None
    expected_recall: float | None = None
    expected_recall_with_unsure: float | None = None

    @property
    def link_given(self) -> bool:
        """The analyst gave --threshold: exactly the pairs at or above it link."""
        return self.how.startswith("given")


@dataclass
class FileResult:
    cluster_of: dict[str, str]
    best_link: dict[str, float]
    unsure: list = field(default_factory=list)
    unlinkable: dict[str, str] = field(default_factory=dict)
    # The pairs at or above the review threshold (every decision looks at these alone) ...
    pairs: list = field(default_factory=list)
    # ... and every scored pair, as columns (file_scores): the curve and the report's sample.
    scored: file_scores.Scored | None = None
    thresholds: Thresholds | None = None
    model_json: dict | None = None
    weights: dict | None = None
    chosen: file_model.FileModel | None = None
    linked_unsure: int = 0
    # Sparse records joined to the one person they can only be (attach_sparse).
    attached: int = 0
    # Clusters joined to the person their household moved with (file_moves).
    moved: int = 0
    # Said of a file too small to fit a model to (file_small).
    small_file_note: str | None = None

    @property
    def notes(self) -> list[str]:
        notes = list(self.chosen.notes) if self.chosen else []
        return notes + ([self.small_file_note] if self.small_file_note else [])


def link(raw: list[dict], *, threshold: float | None = None,
         review_threshold: float | None = None, link_unsure: bool = False,
         engine: str = "duckdb", memory_limit: str | None = None,
         today: dt.date | None = None, phone_region: str = "GB",
         u_max_pairs: float = 5e6, month_first: bool = False) -> FileResult:
    """Link raw records (dicts with record_id and any of file_fields.FIELDS)."""
    rows, unlinkable, sparse = _prepare(raw, today=today, phone_region=phone_region,
                                        month_first=month_first)
    all_ids = [str(item["record_id"]) for item in raw]
    if len(rows) < MIN_RECORDS_TO_TRAIN:
        return _too_few_to_learn(rows, all_ids, unlinkable, link_unsure=link_unsure)
    chosen = file_model.choose(rows, engine=engine)
    if len(sparse) == len(rows):
        chosen.notes.append("every record has too few details to be linked on its own pair "
                            "(a name alone, or a name and one detail): pairs are listed for "
                            "review, and a record joins a person only when the file allows "
                            "no one else")
    linker = file_model.linker_for(rows, chosen, engine=engine, memory_limit=memory_limit)
    model_json = file_model.train(linker, chosen, rows, u_max_pairs=u_max_pairs)
    left = file_model.untrained(linker)
    if left:
        # Left untrained, a comparison would count as no evidence at all: leave it out.
        chosen = file_model.without(chosen, left)
        model_json["comparisons"] = [c for c in model_json["comparisons"]
                                     if c["output_column_name"] not in left]
    if chosen.households:
        model_json = file_model.count_home_once(model_json, engine)
    if left or chosen.households:
        file_model.release(linker)
        linker = file_model.linker_for(rows, chosen, model=model_json, engine=engine,
                                       memory_limit=memory_limit)
    scored = file_scores.score(linker, chosen, [r["unique_id"] for r in rows])
    file_model.release(linker)
    prior = file_scores.reestimate_prior(scored, len(rows), _prior_weight(model_json))
    model_json["probability_two_random_records_match"] = 1 / (1 + 2 ** -prior)
    chosen.in_force = {n for n in file_model.VETOES if file_model.reliable(model_json, n)}
    limits = choose_thresholds(scored.probability, threshold=threshold,
                               review_threshold=review_threshold)
    pairs = scored.at_or_above(limits.review)
    learned = file_model.learn_nicknames(pairs, rows, chosen, limits.link)
    if learned:
        chosen.notes.append("forenames this file shows to be one name (held back in three "
                            "families or more), so not a different person's: "
                            + ", ".join(f"{a} / {b}" for a, b in learned[:10])
                            + (f" and {len(learned) - 10} more" if len(learned) > 10 else ""))
    result = FileResult({}, {}, unlinkable=unlinkable, pairs=pairs, scored=scored,
                        thresholds=limits, model_json=model_json,
                        weights=linkage_model.level_weights(model_json), chosen=chosen)
    _decide(result, rows, all_ids, sparse, link_unsure=link_unsure)
    return result


def dates_compatible(a: str, b: str) -> bool:
    """The app's slips (model.dates_compatible), and a day out: 2010-02-20 typed 2010-02-19.

    A day out across a month or a decade changes two characters or more, so the app's rule
    kept two clusters of one person apart.
    """
    if linkage_model.dates_compatible(a, b):
        return True
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days) <= 1


def _too_few_to_learn(rows, all_ids, unlinkable, *, link_unsure: bool) -> FileResult:
    small = file_small.link_small(rows, all_ids, compatible=dates_compatible,
                                  link_unsure=link_unsure)
    return FileResult(small.cluster_of, {}, unsure=small.unsure, unlinkable=unlinkable,
                      linked_unsure=small.linked_unsure, small_file_note=small.note)


def _prior_weight(model_json: dict) -> float:
    lam = model_json["probability_two_random_records_match"]
    return math.log2(lam / (1 - lam))


def _prepare(raw, *, today, phone_region, month_first=False):
    rows, unlinkable, sparse = [], {}, set()
    for item in raw:
        row = file_fields.prepare(item["record_id"], item, today=today, phone_region=phone_region,
                                  month_first=month_first)
        # An email address tells one person from another as a phone number does (the
        # app's records have none, so its rule counts the phone alone).
        details = {**row, "phone": row["phone"] or row["email"]}
        reason = records.why_unlinkable(details)
        if reason:
            unlinkable[row["unique_id"]] = reason
            continue
        rows.append(row)
        if records.review_only(details):
            sparse.add(row["unique_id"])
    return rows, unlinkable, sparse


def _decide(result: FileResult, rows, all_ids, sparse, *, link_unsure: bool) -> None:
    limits, chosen = result.thresholds, result.chosen
    links, unsure = [], []
    for pair in result.pairs:
        if pair.match_probability < limits.review:
            continue
        held = (pair.left in sparse or pair.right in sparse
                or chosen.vetoed(pair.gammas, nickname=pair.nickname))
        if pair.match_probability >= limits.link and not held:
            links.append(pair)
        else:
            unsure.append(pair)
    # Dates of birth too far apart keep two clusters apart only where this file's dates of
    # birth are reliable (see file_model.RELIABLE_M).
    dob_guard = file_model.reliable(result.model_json, "dob")
    facts = {r["unique_id"]: (r["nhs_number"], r["dob"] if dob_guard else None) for r in rows}
    joined = links + unsure if link_unsure else links
    joined = sorted(joined, key=lambda p: (-p.match_probability, p.left, p.right))
    cluster_of, held_back = linkage_model.clusters(
        all_ids, [(p.left, p.right) for p in joined], facts=facts,
        compatible=dates_compatible)
    # Sparse records first, then records with no date of birth that no link has joined, then
    # dated ones no link has joined (only on a pair alike in name and date of birth); not when
    # the analyst gave the link threshold (then exactly the pairs above it link).
    for stage in ("sparse", "undated", "dated"):
        if link_unsure or limits.link_given:
            break
        if stage == "sparse":
            group = sparse
        elif stage == "undated":
            group = _undated_and_alone(rows, cluster_of)
        else:
            group = _dated_and_alone(rows, cluster_of)
        attached = attach_sparse(result.pairs, group, cluster_of, chosen, limits)
        if stage == "dated":
            attached = [p for p in attached if same_name_and_birth(p, chosen)]
        if attached:
            joined = joined + attached
            cluster_of, held_back = linkage_model.clusters(
                all_ids, [(p.left, p.right) for p in joined], facts=facts,
                compatible=dates_compatible)
            result.attached += len(attached)
    # Then, in a file of households, a record left at a family's old home (file_moves).
    moves = []
    if chosen.households and not (link_unsure or limits.link_given):
        moves = file_moves.moved_together(rows, cluster_of,
                                              compatible=dates_compatible)
        if moves:
            before = len(set(cluster_of.values()))
            cluster_of, held_back = linkage_model.clusters(
                all_ids, [(p.left, p.right) for p in joined] + moves, facts=facts,
                compatible=dates_compatible)
            result.moved = before - len(set(cluster_of.values()))
        if result.moved:
            chosen.notes.append(
                f"{result.moved} records (or groups of records) left at a family's old home "
                "joined the person their household moved with: another person's records "
                "show both homes, and the names agree with nothing written differently")
    held_ends = set(held_back)
    if link_unsure:
        result.linked_unsure = sum(1 for p in unsure if (p.left, p.right) not in held_ends)
        unsure = [p for p in joined if (p.left, p.right) in held_ends]
    else:
        unsure = unsure + [p for p in links if (p.left, p.right) in held_ends]
    # A pair already inside one person is settled by the links that joined them. Equal
    # probabilities by record id: the engine scores pairs in no fixed order, and two runs on
    # one file should write one review file.
    result.unsure = sorted((p for p in unsure if cluster_of[p.left] != cluster_of[p.right]),
                           key=lambda p: (-p.match_probability, p.left, p.right))
    result.cluster_of = cluster_of
    for pair in joined:
        if cluster_of[pair.left] == cluster_of[pair.right]:
            for rid in (pair.left, pair.right):
                result.best_link[rid] = max(result.best_link.get(rid, 0.0),
                                            pair.match_probability)


def _undated_and_alone(rows, cluster_of: dict) -> set:
    """Records with no date of birth, in a file that has them, that no link has joined.

    Without a date of birth a record's own pair cannot tell a person from a namesake (a
    family that moved: the same full name at another address), just as a sparse record's
    cannot; the whole file can, as for a sparse record (attach_sparse).
    """
    if not any(r["dob"] for r in rows):
        return set()
    size: dict[str, int] = {}
    for person in cluster_of.values():
        size[person] = size.get(person, 0) + 1
    return {r["unique_id"] for r in rows
            if r["dob"] is None and size[cluster_of[r["unique_id"]]] == 1}


def _dated_and_alone(rows, cluster_of: dict) -> set:
    """Records with a date of birth that no link (nor whole-file join) has joined.

    A child recorded once by an agency after the family moved, with a typed slip in the name
    or the date ("lauen fraser 2015-12-08" at the new home, "lauren fraser 2015-08-12" at the
    old) scores below the link threshold on its own pair: the address and postcode count
    against it. If the whole file holds no one else it could be, and the names and dates of
    birth agree but for slips (same_name_and_birth), it joins that person.
    """
    size: dict[str, int] = {}
    for person in cluster_of.values():
        size[person] = size.get(person, 0) + 1
    return {r["unique_id"] for r in rows
            if r["dob"] is not None and size[cluster_of[r["unique_id"]]] == 1}


# Fields that say who a person is; where, and how to reach them, changes when they move.
IDENTITY_FIELDS = ("given_name", "family_name", "dob", "nhs_number", "sex")


def same_name_and_birth(pair, chosen) -> bool:
    """Both dates of birth are there and alike (at worst a slip), and no field saying who the
    person is is written differently: a different date or forename is a namesake's, and a
    missing date cannot tell a namesake apart (FEBRL: "samuel webb" born 1940 and 1969 in
    two caravan parks are two people, each the other's only candidate)."""
    different = {c["output_column_name"]: file_model.gamma_of(c, "different")
                 for c in chosen.comparisons if c["output_column_name"] in IDENTITY_FIELDS}
    dob = pair.gammas.get("dob")
    if "dob" not in different or dob is None or dob < 0 or dob == different["dob"]:
        return False  # missing (-1) or written differently
    return not any(pair.gammas.get(n) == level for n, level in different.items())


def attach_sparse(pairs, sparse: set, cluster_of: dict, chosen, limits) -> list:
    """Pairs joining a sparse record to the one person it can only be.

    A sparse record ("Jayden, BS5 6XY") is never linked on one pair: another child with that
    name at that postcode might hold the pair just as well. Once the other records are
    clustered that can be asked of the whole file: the record joins a person when its best
    pair to that person is more likely than not (SOLE_CANDIDATE_PROBABILITY) and not vetoed,
    and no other person holds a pair with it even at the review threshold, nor another sparse
    record that may be someone else. Anything less clear stays unsure.
    """
    best: dict[str, dict[str, file_model.Pair]] = {}
    rivals: dict[str, set] = {}
    for pair in pairs:
        if pair.match_probability < limits.review:
            continue
        for record, other in ((pair.left, pair.right), (pair.right, pair.left)):
            if record not in sparse:
                continue
            if other in sparse:
                rivals.setdefault(record, set()).add(other)
                continue
            held = best.setdefault(record, {})
            person = cluster_of[other]
            if person not in held or pair.match_weight > held[person].match_weight:
                held[person] = pair
    attached = []
    for record, held in best.items():
        if len(held) != 1:
            continue
        (person,) = held
        # Another sparse record is no rival when it can only be the same person too (two
        # agencies' "Jayden, BS5 6XY"); one that may be someone else keeps this one unsure.
        if any(set(best.get(other, ())) != {person} for other in rivals.get(record, ())):
            continue
        (pair,) = held.values()
        if (pair.match_probability >= max(SOLE_CANDIDATE_PROBABILITY, limits.review)
                and not chosen.vetoed(pair.gammas, nickname=pair.nickname)):
            attached.append(pair)
    return sorted(attached, key=lambda p: (-p.match_probability, p.left, p.right))


def choose_thresholds(probabilities, *, threshold: float | None = None,
                      review_threshold: float | None = None) -> Thresholds:
    """Thresholds from the model's expected precision and recall over its own scored pairs.

    Each scored pair is a true match with its probability, so the expected true pairs above a
    threshold t are the sum of the probabilities above t. The link threshold is the one with
    the best expected F1 among those whose links are expected to be TARGET_PRECISION precise
    (and never below LOWEST_LINK_THRESHOLD); the review threshold the highest one at which
    links and unsure pairs together are expected to hold TARGET_RECALL_WITH_UNSURE of the true
    pairs (never below LOWEST_REVIEW_THRESHOLD). A value given by the analyst wins.
    Over numpy columns (tens of millions of pairs in a large file); the running sums are
    numpy's cumulative sums, added in the same order as a loop would.
    """
    ordered, running, total = _running(probabilities)
    k = np.arange(1, len(ordered) + 1)
    link_at, review_at = 1.0, None
    precise = (running / k >= TARGET_PRECISION) & (ordered >= LOWEST_LINK_THRESHOLD)
    if precise.any():
        f1 = np.where(precise, 2 * running / (k + total), -1.0)
        link_at = float(ordered[int(np.argmax(f1))])  # the first of equals, as a loop's ">"
    enough = running >= TARGET_RECALL_WITH_UNSURE * total
    if enough.any():
        review_at = float(ordered[int(np.argmax(enough))])
    link_at = threshold if threshold is not None else link_at
    if review_threshold is not None:
        review_at = review_threshold
    else:
        review_at = min(link_at, max(LOWEST_REVIEW_THRESHOLD, review_at or 0.0))
    how = ("given" if threshold is not None else "chosen from the data") + " / " + (
        "given" if review_threshold is not None else "chosen from the data")
    return Thresholds(link_at, review_at, how,
                      *_expected(ordered, running, total, link_at, review_at))


def _running(probabilities) -> tuple[np.ndarray, np.ndarray, float]:
    """The probabilities highest first, their running sums, and the total (1 when none)."""
    ordered = np.sort(np.asarray(probabilities, dtype=np.float64))[::-1]
    running = np.cumsum(ordered)
    return ordered, running, (float(running[-1]) if len(running) else 0.0) or 1.0


def _above(ordered, running, at: float) -> tuple[int, float]:
    """How many probabilities are at or above `at`, and their sum."""
    count = int(np.count_nonzero(ordered >= at))
    return count, (float(running[count - 1]) if count else 0.0)


def _expected(ordered, running, total: float, link_at: float, review_at: float):
    linked, linked_sum = _above(ordered, running, link_at)
    with_unsure_sum = _above(ordered, running, review_at)[1]
    return (round(linked_sum / max(1, linked), 5), round(linked_sum / total, 5),
            round(with_unsure_sum / total, 5))


def curve(probabilities, points: tuple = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95,
                                          0.99, 0.999)) -> list[dict]:
    """Expected precision and recall of links at each threshold, and the pairs at or above."""
    ordered, running, total = _running(probabilities)
    out = []
    for t in points:
        count, above = _above(ordered, running, t)
        out.append({"threshold": t, "pairs": count,
                    "expected_precision": round(above / max(1, count), 5),
                    "expected_recall": round(above / total, 5)})
    return out
