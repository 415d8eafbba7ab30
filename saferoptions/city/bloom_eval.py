"""How well keyed Bloom-filter matching works on the synthetic city, and how well it resists
a frequency attack: the test and `bench/pprl.py` share these. No Django. It lives with the
city it draws its people from (`linkage.bloom` is what it measures).

The index is what the partnership holds: the statutory agencies' records of most of the city's
children. The queries are what non-traditional partners would report: the same city's people
recorded the way those partners record them (`city.variation`'s profiles: nicknames, typos,
missing dates of birth and addresses), about children on record and children who are not.
"""

import random
from collections import Counter
from dataclasses import dataclass

import numpy as np

from saferoptions.linkage import bloom, normalise

from .generator import City
from .variation import record

INDEX_AGENCIES = ("health", "education", "police", "social-care", "early-help")
PARTNER_AGENCIES = ("housing", "licensing", "community-safety", "youth-services", "voluntary")
SHARE_UNKNOWN = 0.2  # children the partnership holds no record of


def _young(city: City) -> list[int]:
    return [i for i, p in enumerate(city.people) if p.kind in ("child", "young_adult")]


def _as_person(identity) -> bloom.Person:
    return bloom.Person(identity.given_name, identity.family_name, identity.date_of_birth,
                        identity.postcode)


def split(city: City, seed: int) -> tuple[set[str], list[tuple[str, bloom.Person]]]:
    """Which young people are on record (keys), and the index's raw records of them."""
    rng = random.Random(f"pprl-split:{seed}")
    known = {city.people[i].key for i in _young(city) if rng.random() >= SHARE_UNKNOWN}
    rows = [(i.person_key, _as_person(i)) for i in city.identities
            if i.person_key in known and i.agency_slug in INDEX_AGENCIES]
    return known, rows


def partner_reports(city: City, count: int, seed: int) -> list[tuple[str, bloom.Person]]:
    """`count` partner reports about young people, each that the form would accept."""
    rng = random.Random(f"pprl-reports:{seed}")
    young = _young(city)
    reports: list[tuple[str, bloom.Person]] = []
    while len(reports) < count:
        person = city.people[rng.choice(young)]
        home = city.households[person.household]
        made = record(rng, person, home, rng.choice(PARTNER_AGENCIES), 0, "", None)
        report = _as_person(made)
        try:
            bloom.check_report(report)
        except bloom.EncodingError:
            continue  # the form refuses it: nobody would submit it this way
        reports.append((person.key, report))
    return reports


@dataclass(frozen=True)
class Scores:
    """Queries about known children scored against the index."""

    truths: list[str]
    known: list[bool]
    shapes: list[frozenset]
    best: list[str | None]
    scores: np.ndarray


def score(encoder: bloom.Encoder, index_rows, reports, known: set[str]) -> Scores:
    index = bloom.Index(encoder, index_rows)
    best, scores, shapes = [], [], []
    for _, report in reports:
        shape = bloom.present(report)
        shapes.append(shape)
        label, value = index.best(encoder.encode(report, shape), shape)
        best.append(label)
        scores.append(value)
    truths = [key for key, _ in reports]
    return Scores(truths, [t in known for t in truths], shapes, best, np.array(scores))


def quality(s: Scores, thresholds: dict, only: frozenset | None = None) -> dict:
    """Recall over reports about known children; precision over every match raised (of one
    report shape if `only`)."""
    limit = np.array([thresholds[shape] for shape in s.shapes])
    named = np.array([b is not None for b in s.best])
    matched = (s.scores >= limit) & named
    if only is not None:
        matched &= np.array([shape == only for shape in s.shapes])
    right = np.array([b == t for b, t in zip(s.best, s.truths, strict=True)])
    known = np.array(s.known)
    if only is not None:
        known &= np.array([shape == only for shape in s.shapes])
    raised = int(matched.sum())
    return {
        "reports": len(s.truths),
        "about_known": int(known.sum()),
        "matches": raised,
        "recall": round(float((matched & right & known).sum() / max(known.sum(), 1)), 4),
        "precision": round(float((matched & right).sum() / raised), 4) if raised else 1.0,
    }


def choose_thresholds(s: Scores, *, min_precision: float = 0.995) -> dict:
    """Per report shape, the lowest threshold (best recall) that keeps its precision, and keeps
    it at every higher threshold too: precision is not monotone on a few hundred reports, and a
    value that meets the bar by the luck of one report below a value that does not is noise."""
    chosen = {}
    for shape in bloom.SHAPES:
        chosen[shape] = 0.95
        for value in np.arange(0.95, 0.595, -0.01):
            trial = dict.fromkeys(bloom.SHAPES, 1.01) | {shape: round(float(value), 2)}
            if quality(s, trial, only=shape)["precision"] < min_precision:
                break
            chosen[shape] = round(float(value), 2)
    return chosen


# --- the frequency attack ---------------------------------------------------------------------

def public_names(city: City) -> dict[str, Counter]:
    """What an attacker can know without the key: how common each name is (generously, the
    city's own frequencies, cleaned the way the encoder cleans them)."""
    given = Counter(normalise.canonical_forename(p.given_name) for p in city.people)
    family = Counter((normalise.name(p.family_name) or "").replace(" ", "")
                     for p in city.people)
    return {"given": given, "family": family}


def pattern_attack(encodings: list[bytes], names: Counter) -> list[str | None]:
    """Align the most frequent whole encodings with the most frequent names, in rank order."""
    ranked = [n for n, _ in names.most_common()]
    patterns = [p for p, _ in Counter(encodings).most_common()]
    guess = dict(zip(patterns, ranked, strict=False))
    return [guess.get(e) for e in encodings]


def bigram_attack(encodings: list[bytes], names: Counter) -> list[str | None]:
    """Pattern mining without the key: bits a token always sets together co-occur, so the
    attacker groups the commonest bits by co-occurrence, gives each group the bigram whose
    public frequency is nearest its own, and names each encoding after the public name whose
    guessed bigrams it holds best (the commonest such name on a tie)."""
    bits = np.unpackbits(np.frombuffer(b"".join(encodings), dtype=np.uint8)).reshape(
        len(encodings), bloom.BITS).astype(np.float32)
    total = sum(names.values())
    bigram_share = Counter()
    for name_, n in names.items():
        for b in set(bloom._bigrams(name_)):
            bigram_share[b] += n / total
    groups = _cooccurring_groups(bits)
    share = {g: float(bits[:, list(g)].all(axis=1).mean()) for g in groups}
    assigned: dict[str, tuple[int, ...]] = {}
    free = dict(bigram_share)
    for g in sorted(groups, key=lambda g: -share[g]):
        if not free:
            break
        b = min(free, key=lambda b: abs(free[b] - share[g]))
        assigned[b] = g
        del free[b]
    return [_best_name(row, assigned, names) for row in bits.astype(bool)]


def _cooccurring_groups(bits: np.ndarray, *, agreement: float = 0.9) -> list[tuple[int, ...]]:
    counts = bits.sum(axis=0)
    together = bits.T @ bits
    union = counts[:, None] + counts[None, :] - together
    jaccard = np.where(union > 0, together / np.maximum(union, 1), 0)
    seen: set[int] = set()
    groups = []
    for p in np.argsort(-counts):
        if p in seen or counts[p] == 0:
            continue
        members = tuple(int(q) for q in np.flatnonzero(jaccard[p] >= agreement) if q not in seen)
        if len(members) >= 2:
            groups.append(members)
            seen.update(members)
    return groups


def _best_name(row: np.ndarray, assigned: dict, names: Counter) -> str | None:
    best, best_score = None, 0.0
    for name_, _ in names.most_common():
        grams = [assigned.get(b) for b in set(bloom._bigrams(name_))]
        known = [g for g in grams if g is not None]
        if not known:
            continue
        held = sum(bool(row[list(g)].all()) for g in known) / len(grams)
        if held > best_score:
            best, best_score = name_, held
    return best


def recovered(guesses: list[str | None], truths: list[str]) -> float:
    """Share of names the attacker named correctly."""
    right = sum(g is not None and g == t for g, t in zip(guesses, truths, strict=True))
    return right / max(len(truths), 1)
