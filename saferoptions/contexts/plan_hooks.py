"""What an app above contexts does when a plan row moves on or a case closes.

Contexts sits below interventions in the layers, so it cannot name a catalogue placement: the
interventions app registers, from its `AppConfig.ready()`, what a plan row moving to done or
cancelled means for the placement behind it (it ends and its place goes back, as ending it
from find support does), and what closing a case means for its live placements (each is
withdrawn and its place goes back). Both run inside the change's transaction, before the
case row is locked: brokering locks the capacity month before the case, so this keeps the
one order and two changes cannot wait on each other.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EndedOnClosing:
    """A plan row whose programme placement ended because its case closed."""

    intervention_id: int
    name: str


_row_moving: list[Callable[..., None]] = []
_case_closing: list[Callable[..., list[EndedOnClosing]]] = []


def register(*, row_moving: Callable[..., None],
             case_closing: Callable[..., list[EndedOnClosing]]) -> None:
    """Register both hooks (the last registered wins).

    `row_moving(actor=, case_id=, intervention_id=, status=)` may refuse with
    `ContextInputError`; `case_closing(actor=, case_id=)` returns what it ended."""
    _row_moving[:] = [row_moving]
    _case_closing[:] = [case_closing]


def row_moving(*, actor, case_id: int, intervention_id: int, status: str) -> None:
    for hook in _row_moving:
        hook(actor=actor, case_id=case_id, intervention_id=intervention_id, status=status)


def case_closing(*, actor, case_id: int) -> list[EndedOnClosing]:
    return [ended for hook in _case_closing for ended in hook(actor=actor, case_id=case_id)]
