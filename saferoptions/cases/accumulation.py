"""Small concerns adding up: a transparent weighted count over a window (no web, no database).

Each item carries a kind (a concern kind or an event type); the configured weights say how
much each kind counts. Crossing the threshold is a prompt for a person to review, never an
action on its own, and the prompt lists every item that contributed and its weight.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One small concern: what kind, when, and which record it is (type and id)."""

    kind: str
    on: dt.date
    record_type: str
    record_id: int


@dataclass(frozen=True)
class Contribution:
    item: Item
    weight: int


@dataclass(frozen=True)
class Tally:
    """The score, the threshold, and the items that made it up (heaviest first)."""

    score: int
    threshold: int
    contributions: tuple

    @property
    def crossed(self) -> bool:
        return self.score >= self.threshold


# Other apps add the items they hold about a person (e.g. graded intelligence) from their
# `AppConfig.ready()`: source(person, since) -> list[Item]. Cases never imports them.
_SOURCES: list[Callable] = []


def register(source: Callable) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def registered_items(person, since: dt.date) -> list[Item]:
    return [item for source in _SOURCES for item in source(person, since)]


def tally(items: Iterable[Item], *, rule: dict, today: dt.date) -> Tally:
    """Weigh the items inside the rule's window (`window_days`, `weights`, `threshold`)."""
    start = today - dt.timedelta(days=rule["window_days"])
    weights = rule["weights"]
    found = [Contribution(i, int(weights.get(i.kind, 0))) for i in items
             if start < i.on <= today]
    found = [c for c in found if c.weight > 0]
    found.sort(key=lambda c: (-c.weight, c.item.on, c.item.record_type, c.item.record_id))
    return Tally(sum(c.weight for c in found), int(rule["threshold"]), tuple(found))
