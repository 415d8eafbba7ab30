"""What contexts tells the access policy (`access/registry.py`), from `ContextsConfig.ready()`.

Places and groups are shown by role (the kinds of context in the role's rule). Context cases
by role (the duty and the kinds) and by locality. A group membership is part of the member's
record, seen wherever the member is.
"""

from django.db.models import Q

from saferoptions.access import registry, rules

from .models import ContextCase, Group, GroupMembership, Place

NOTHING = Q(pk__in=[])


def may_see_context(viewer, model) -> bool:
    rule = rules.role_rule(viewer.role) if viewer else None
    kind = "place" if model is Place else "group"
    return bool(rule) and kind in rule.get("contexts", ())


def contexts(viewer, queryset):
    """Places or groups: all of them for a role whose rule names that kind, else none."""
    return queryset if may_see_context(viewer, queryset.model) else queryset.none()


def context_case_q(viewer) -> Q:
    """Context cases: by role (the duty and the kinds of context) and by locality scope.

    A user with a locality sees the cases on places, schools and groups in it (a group with
    no locality spans the city, so it is in every locality); a city-wide user sees them all.
    """
    if not rules.has_duty(viewer, "view_context_cases"):
        return NOTHING
    kinds_named = rules.role_rule(viewer.role).get("contexts", ())
    kinds = (["place", "school"] if "place" in kinds_named else []) + (
        ["group"] if "group" in kinds_named else [])
    q = Q(kind__in=kinds)
    if viewer.locality_id is None:
        return q
    here = viewer.locality_id
    # A place a referrer described has no ward until the Hub confirms it: like a group with
    # no locality, it is in every locality, so the Hub there can confirm it.
    return q & (Q(place__ward__locality_id=here) | Q(school__place__ward__locality_id=here)
                | Q(place__isnull=False, place__ward__isnull=True)
                | Q(group__locality_id=here) | Q(group__isnull=False, group__locality__isnull=True))


def context_cases(viewer, queryset):
    return queryset.filter(context_case_q(viewer))


def register() -> None:
    registry.register_model(Place, contexts)
    registry.register_model(Group, contexts)
    registry.register_model(ContextCase, context_cases)
    registry.register_person_rows(GroupMembership, registry.PersonRows())
