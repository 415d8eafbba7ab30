"""Resolve free-text locations (as hospitals record assaults) to the partnership's known places.

"the underpass by the bus stn", "Maccies on Stokes Croft", "castle pk" -> a known place, when
the fuzzy score clears a threshold and no other place comes close; otherwise the text is left
unresolved, with the best candidates, for a person to resolve.
"""

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from saferoptions.analytics._checks import require_positive
from saferoptions.analytics.errors import AnalyticsInputError, UnknownPlaceTypeError

# Short forms as people type them; the words of known places are normalised the same way.
ABBREVIATIONS = {
    "st": "street",
    "str": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "sq": "square",
    "pk": "park",
    "stn": "station",
    "sch": "school",
    "ctr": "centre",
    "cntr": "centre",
    "center": "centre",
    "hosp": "hospital",
    "nr": "near",
    "opp": "opposite",
    "o/s": "outside",
    "&": "and",
    "mcdonalds": "mcdonalds",
    "maccies": "mcdonalds",
    "maccys": "mcdonalds",
    "mcds": "mcdonalds",
}
# Words that say where relative to a place, not which place.
FILLER = frozenset(
    {
        "the",
        "a",
        "an",
        "by",
        "near",
        "nr",
        "outside",
        "opposite",
        "behind",
        "beside",
        "next",
        "to",
        "at",
        "on",
        "in",
        "of",
        "off",
        "from",
        "around",
        "round",
        "back",
        "front",
        "side",
        "corner",
        "top",
        "bottom",
        "end",
    }
)


@dataclass(frozen=True)
class KnownPlace:
    """A place the partnership knows, with the other names people use for it."""

    place_id: int
    name: str
    aliases: tuple[str, ...]
    place_type: str


@dataclass(frozen=True)
class Candidate:
    """A known place that might be the one meant, and how close the text came (0-100)."""

    place_id: int
    name: str
    score: float


@dataclass(frozen=True)
class PlaceMatch:
    """The outcome for one text: resolved to a place, or unresolved with the best candidates."""

    text: str
    resolved: bool
    place_id: int | None
    score: float
    reason: str
    candidates: tuple[Candidate, ...]


def normalise(text: str, abbreviations: Mapping[str, str] = ABBREVIATIONS) -> str:
    """Lower case, apostrophes dropped, abbreviations expanded, filler words removed."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    words = re.findall(r"o/s|&|[a-z0-9]+", text)
    words = [abbreviations.get(w, w) for w in words]
    kept = [w for w in words if w not in FILLER]
    return " ".join(kept or words)


class PlaceMatcher:
    """Matches free text to known places with RapidFuzz, leaving doubtful texts unresolved."""

    def __init__(
        self,
        places: Iterable[KnownPlace],
        *,
        place_types: Collection[str],
        threshold: float = 80.0,
        margin: float = 5.0,
        candidates: int = 3,
        abbreviations: Mapping[str, str] = ABBREVIATIONS,
    ):
        self.places = _checked_places(list(places), set(place_types))
        require_positive(margin, "margin", allow_zero=True)
        if not 0 < threshold <= 100:
            raise AnalyticsInputError("threshold", "must be more than 0 and at most 100")
        self.threshold, self.margin, self.candidates = threshold, margin, max(1, candidates)
        self.abbreviations = abbreviations
        # One choice per name or alias; `owner` says which place each choice belongs to.
        self.choices, self.owner = [], []
        for index, place in enumerate(self.places):
            for name in (place.name, *place.aliases):
                self.choices.append(normalise(name, abbreviations))
                self.owner.append(index)

    def match(self, text: str) -> PlaceMatch:
        """The place `text` most likely means, or unresolved with the best candidates."""
        return self.match_all([text])[0]

    def match_all(self, texts: Iterable[str]) -> list[PlaceMatch]:
        """Match many texts at once (the scoring runs over all of them together)."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        cleaned = [normalise(t, self.abbreviations) for t in texts]
        # token_set alone scores 100 whenever one text's words are a subset of the other's
        # ("station" against "bus station"), so it is averaged with token_sort (word order
        # ignored); plain edit distance covers typos that reorder or join words.
        by_words = (
            self._scores(cleaned, fuzz.token_sort_ratio)
            + self._scores(cleaned, fuzz.token_set_ratio)
        ) / 2
        scores = np.maximum(by_words, self._scores(cleaned, fuzz.ratio))
        return [self._decide(t, c, row) for t, c, row in zip(texts, cleaned, scores, strict=True)]

    def _scores(self, cleaned: list[str], scorer) -> np.ndarray:
        return process.cdist(cleaned, self.choices, scorer=scorer, workers=-1)

    def _decide(self, text: str, cleaned: str, row) -> PlaceMatch:
        best = {}
        for choice, score in enumerate(row.tolist()):
            place = self.owner[choice]
            best[place] = max(best.get(place, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: -item[1])[: self.candidates]
        candidates = tuple(
            Candidate(self.places[p].place_id, self.places[p].name, round(s, 1)) for p, s in ranked
        )
        if not cleaned:
            return PlaceMatch(text, False, None, 0.0, "no location given", ())
        top = candidates[0]
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        if top.score < self.threshold:
            reason = f"best score {top.score} is below the threshold {self.threshold}"
            return PlaceMatch(text, False, None, top.score, reason, candidates)
        if top.score - runner_up < self.margin:
            reason = f"more than one place scores within {self.margin} of the best"
            return PlaceMatch(text, False, None, top.score, reason, candidates)
        return PlaceMatch(text, True, top.place_id, top.score, "matched", candidates)


def _checked_places(places: list[KnownPlace], place_types: set[str]) -> list[KnownPlace]:
    if not places:
        raise AnalyticsInputError("places", "there are no known places to match against")
    seen = set()
    for index, place in enumerate(places):
        if place.place_type not in place_types:
            raise UnknownPlaceTypeError(
                f"places[{index}].place_type", f"{place.place_type!r} is not a known place type"
            )
        if not place.name or not place.name.strip():
            raise AnalyticsInputError(f"places[{index}].name", "is empty")
        if place.place_id in seen:
            raise AnalyticsInputError(f"places[{index}].place_id", "appears more than once")
        seen.add(place.place_id)
    return places


def unresolved(matches: Iterable[PlaceMatch]) -> list[PlaceMatch]:
    """The texts a person still has to resolve, worst first."""
    return sorted((m for m in matches if not m.resolved), key=lambda m: m.score)
