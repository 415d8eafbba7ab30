"""Where a practitioner goes next from a step of the pathway, offered by the apps above cases.

Cases sits below interventions in the layers, so it cannot name "find support" itself: the
interventions app registers, from its `AppConfig.ready()`, how to reach find support for a
child. The link is offered only to a viewer the access policy lets open the child, which is
the same test find support applies (`open_child`), so a link never leads to the common 404.
"""

from collections.abc import Callable

from saferoptions.people.models import Person

from .models import Concern, TriageOutcome
from .selectors.child import find_child

_find_support: list[Callable[[Person], str]] = []


def register_find_support(url_for: Callable[[Person], str]) -> None:
    """Register the address of find support for a child (the last one registered wins)."""
    _find_support[:] = [url_for]


def find_support_url(user, person: Person | None) -> str:
    """Find support for the child, if it is offered and the user may open the child; else ""."""
    if not _find_support or find_child(user, person) is None:
        return ""
    return _find_support[0](person)


def support_after_decision(user, concern: Concern) -> str:
    """Find support for the child of a "referral to an intervention" decision, where offered."""
    if concern.outcome != TriageOutcome.INTERVENTION_REFERRAL or concern.person_id is None:
        return ""
    return find_support_url(user, concern.person)
