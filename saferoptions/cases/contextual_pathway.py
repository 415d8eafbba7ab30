"""The children the Hub put on a place's contextual pathway at triage.

A place's context case lists them among the people it affects (`contexts.outcomes.people_of`).
Contexts sits below cases and may not read concerns, so cases registers this with it from
`CasesConfig.ready()`.
"""

from .models import Concern, TriageOutcome


def routed_to_place(place_id) -> set[int]:
    """Ids of the children whose concerns the Hub routed to this place's pathway."""
    routed = Concern.objects.filter(place_id=place_id, person__isnull=False,
                                    outcome=TriageOutcome.CONTEXTUAL_PATHWAY)
    return set(routed.values_list("person_id", flat=True))
