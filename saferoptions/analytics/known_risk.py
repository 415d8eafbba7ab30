"""What is known about a child: configured indicators, each record with its weight and date.

A transparent sum, not a model: every item is one record the caller was allowed to see, with
the weight the partnership configured for its kind. It is never turned into a label or a
band and decides nothing; the page shows it as "what is known", beside the records behind it.

The caller passes only the records its viewer may see, so two viewers can get different
totals for the same child; the page says so.
"""

import datetime as dt
from dataclasses import dataclass

from saferoptions.analytics.errors import AnalyticsInputError


@dataclass(frozen=True)
class Indicator:
    """One configured kind of record, its weight, and how far back it counts (days)."""

    key: str
    label: str
    weight: float
    window_days: int
    event_types: frozenset = frozenset()
    categories: frozenset = frozenset()
    ties: bool = False  # a recorded tie to someone in a group under an open group case

    def matches_event(self, event_type: str, category: str) -> bool:
        if self.ties or not (self.event_types or self.categories):
            return False
        return ((not self.event_types or event_type in self.event_types)
                and (not self.categories or category in self.categories))


@dataclass(frozen=True)
class KnownRecord:
    """A record the viewer may see: what it is, when, and which row it is."""

    indicator: str
    on: dt.date
    record_type: str  # "event" or "tie"
    record_id: int
    description: str


@dataclass(frozen=True)
class KnownItem:
    indicator: Indicator
    record: KnownRecord

    @property
    def weight(self) -> float:
        return self.indicator.weight


@dataclass
class WhatIsKnown:
    """The items within their windows, newest first, and the sum of their weights."""

    items: list
    total: float
    indicators: list  # every configured indicator, so the page can say what was looked for

    def subtotals(self) -> list[tuple[Indicator, int, float]]:
        """(indicator, how many items, their weight) for each configured indicator."""
        found = [(i, sum(1 for x in self.items if x.indicator.key == i.key))
                 for i in self.indicators]
        return [(i, n, n * i.weight) for i, n in found]


def indicators_from(config: dict) -> list[Indicator]:
    """The configured indicators, checked; a bad entry names its key and what is wrong."""
    if not isinstance(config, dict) or not config:
        raise AnalyticsInputError("indicators", "must name at least one indicator")
    return [_indicator(key, entry) for key, entry in config.items()]


def _indicator(key: str, entry: dict) -> Indicator:
    field = f"indicators.{key}"
    weight = entry.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
        raise AnalyticsInputError(f"{field}.weight", "must be a number, zero or more")
    window = entry.get("window_days")
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 3650:
        raise AnalyticsInputError(f"{field}.window_days", "must be a whole number from 1 to 3650")
    label = str(entry.get("label", "")).strip()
    if not label:
        raise AnalyticsInputError(f"{field}.label", "must be given, in plain words")
    found = Indicator(key, label, weight, window, frozenset(entry.get("event_types", ())),
                      frozenset(entry.get("categories", ())), bool(entry.get("ties", False)))
    if not (found.ties or found.event_types or found.categories):
        raise AnalyticsInputError(field, "must name event types, categories or ties")
    return found


def indicator_for_event(indicators: list[Indicator], event_type: str,
                        category: str) -> Indicator | None:
    """The first configured indicator an event counts under (None: it counts under none)."""
    return next((i for i in indicators if i.matches_event(event_type, category)), None)


def what_is_known(records: list[KnownRecord], *, indicators: list[Indicator],
                  today: dt.date) -> WhatIsKnown:
    """The records inside their indicator's window (today included), with their weights."""
    by_key = {i.key: i for i in indicators}
    items = []
    for record in records:
        indicator = by_key.get(record.indicator)
        if indicator is None:
            raise AnalyticsInputError("records.indicator",
                                      f"“{record.indicator}” is not a configured indicator")
        since = today - dt.timedelta(days=indicator.window_days)
        if since < record.on <= today:
            items.append(KnownItem(indicator, record))
    items.sort(key=lambda x: (x.record.on, x.record.record_id), reverse=True)
    return WhatIsKnown(items, sum(x.weight for x in items), list(indicators))
