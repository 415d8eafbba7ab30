"""Needs the child's records show: the partnership's table (settings) read over plain events.

No database and no web here: `facts.py` reads the events the viewer may see of the child (through
the access policy) and this module says which needs they show and in what words. The table is
`INTERVENTIONS_NEEDS_FROM_EVENTS` (docs/interventions.md, "Needs from the records"). A need shown
by the records is evidence for the practitioner, not a judgement: the risk level is never read
from events.
"""

import datetime as dt
from dataclasses import dataclass

# How the page counts each kind of event: (one, many).
EVENT_WORDS = {
    "police_incident": ("police incident", "police incidents"),
    "stop_search": ("police stop and search", "police stops and searches"),
    "missing_episode": ("missing episode", "missing episodes"),
    "ed_assault": ("emergency department attendance after an assault",
                   "emergency department attendances after an assault"),
    "school_incident": ("school incident", "school incidents"),
    "housing_report": ("housing report", "housing reports"),
    "licensing_report": ("licensing report", "licensing reports"),
    "community_concern": ("community concern", "community concerns"),
}


@dataclass(frozen=True)
class Occurrence:
    """The child's part in one event they are recorded in."""

    event_id: int
    event_type: str
    category: str
    role: str
    day: dt.date
    object_kinds: frozenset = frozenset()


@dataclass(frozen=True)
class Source:
    """One line of the table: events of these types, the child in one of these roles, with one
    of these categories or objects (an empty set of roles: any role)."""

    event_types: frozenset
    categories: frozenset = frozenset()
    object_kinds: frozenset = frozenset()
    roles: frozenset = frozenset()


@dataclass(frozen=True)
class NeedRule:
    need: str
    days: int
    sources: tuple
    at_least: int = 1


@dataclass(frozen=True)
class Evidence:
    """What shows one need: distinct events counted by type, and the most recent day."""

    need: str
    counts: tuple  # ((event_type, n), ...) most first, then by type
    most_recent: dt.date

    @property
    def words(self) -> str:
        parts = [f"{n} {EVENT_WORDS.get(t, (t, t))[n != 1]}" for t, n in self.counts]
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"{listed}, most recent {self.most_recent.day} {self.most_recent:%B %Y}"


def rules_from(table: dict) -> tuple[NeedRule, ...]:
    """The settings' table as rules (unknown keys are refused so a typo does not go quiet)."""
    found = []
    for need, entry in table.items():
        unknown = set(entry) - {"days", "at_least", "from"}
        if unknown:
            raise ValueError(f"INTERVENTIONS_NEEDS_FROM_EVENTS[{need!r}]: unknown {unknown}")
        sources = tuple(Source(frozenset(s["event_types"]), frozenset(s.get("categories", ())),
                               frozenset(s.get("object_kinds", ())),
                               frozenset(s.get("roles", ()))) for s in entry["from"])
        found.append(NeedRule(need, int(entry["days"]), sources, int(entry.get("at_least", 1))))
    return tuple(found)


def shows(source: Source, occurrence: Occurrence) -> bool:
    return (occurrence.event_type in source.event_types
            and (not source.roles or occurrence.role in source.roles)
            and (occurrence.category in source.categories
                 or bool(occurrence.object_kinds & source.object_kinds)))


def within(rule: NeedRule, day: dt.date, today: dt.date) -> bool:
    """In the look-back window: the last `days` days, today included (nothing after today)."""
    return today - dt.timedelta(days=rule.days - 1) <= day <= today


def needs_shown(rules, occurrences, today: dt.date) -> dict[str, Evidence]:
    """Each need the occurrences show within its window, at least `at_least` distinct events."""
    shown = {}
    for rule in rules:
        events = {}
        for o in occurrences:
            if within(rule, o.day, today) and any(shows(s, o) for s in rule.sources):
                events[o.event_id] = o
        if len(events) < max(rule.at_least, 1):
            continue
        by_type: dict = {}
        for o in events.values():
            by_type[o.event_type] = by_type.get(o.event_type, 0) + 1
        counts = tuple(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0])))
        shown[rule.need] = Evidence(rule.need, counts, max(o.day for o in events.values()))
    return shown


def earliest_day(rules, today: dt.date) -> dt.date:
    """The first day any rule looks back to (the read goes no further back)."""
    longest = max((r.days for r in rules), default=1)
    return today - dt.timedelta(days=longest - 1)


def event_types(rules) -> frozenset:
    return frozenset(t for r in rules for s in r.sources for t in s.event_types)
