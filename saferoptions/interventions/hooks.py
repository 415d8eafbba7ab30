"""What higher apps tell the interventions app, registered from their `AppConfig.ready()`.

The tasks app records the Education Inclusion Manager's risk assessment after a school
incident (was a programme offered instead of exclusion, and was the pupil excluded). The tasks
app imports this one, so it registers a counter here instead of this app importing it:
`register_exclusions_avoided(counter)`, where `counter(programme_id) -> int`.
"""

from collections.abc import Callable

_exclusions_avoided: list[Callable[[int], int]] = []


def register_exclusions_avoided(counter: Callable[[int], int]) -> None:
    """Register how to count exclusions avoided with a programme (the last one registered wins)."""
    _exclusions_avoided[:] = [counter]


def exclusions_avoided_counter() -> Callable[[int], int] | None:
    return _exclusions_avoided[0] if _exclusions_avoided else None
