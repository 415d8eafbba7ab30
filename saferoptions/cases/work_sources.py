"""Open work other apps hold about a child (tasks), for "My work" and the team caseload.

The tasks app imports cases (a task rule raises a concern), so cases never imports tasks: the
tasks app registers its source here from its `AppConfig.ready()` (docs/architecture.md).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from . import timescales


@dataclass(frozen=True)
class OpenItem:
    """One piece of open work about a child (or about no child yet), as a list row shows it."""

    kind: str  # what it is, in words ("Return home interview")
    due_at: dt.datetime
    state: timescales.ClockState
    url: str
    person_id: int | None
    source: str  # "task"
    item_id: int


# source(*, team_id, person_ids=None) -> the team's open items about those children (all of the
# team's when None). Only the viewer's own team's work is listed: it is the work they may open.
_SOURCES: list[Callable] = []


def register(source: Callable) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def open_items(*, team_id, person_ids=None) -> list[OpenItem]:
    """The team's open items (from every registered source), soonest due first."""
    if team_id is None:
        return []
    items = [i for source in _SOURCES for i in source(team_id=team_id, person_ids=person_ids)]
    return sorted(items, key=lambda i: i.due_at)
