"""Which roles may do what with context cases: duties in the one role table (ACCESS_ROLE_RULES)."""

from saferoptions.access import policy

from .models import Group, Place


def _role_in(user, duty: str) -> bool:
    return bool(user and user.is_authenticated and policy.has_duty(user, duty))


def may_manage(user) -> bool:
    """Hub practitioners (and the roles configured with them) run context cases."""
    return _role_in(user, "manage_context_cases")


def may_view_cases(user) -> bool:
    return _role_in(user, "view_context_cases")


def may_refer_place(user) -> bool:
    return _role_in(user, "refer_places") and sees_context(user, "place")


def may_resolve_locations(user) -> bool:
    return _role_in(user, "resolve_locations")


def sees_context(user, kind: str) -> bool:
    """The access policy's answer: may this role open contexts of this kind at all."""
    model = Group if kind == "group" else Place  # a school is a place on the map
    # The policy answers for places and groups by role alone: `none()` when it refuses, which
    # an empty query says without touching the database.
    return not policy.restrict(user, "view", model.objects.all()).query.is_empty()


def may_analyse(user) -> bool:
    """Analysts (and the roles configured with them) run and confirm suggested groups."""
    return _role_in(user, "analyse_contexts") and sees_context(user, "group")


def may_see_hotspots(user) -> bool:
    return _role_in(user, "view_hotspots")


def refer_kinds(user) -> list[str]:
    """The kinds of context this user may refer: a place, and a group or school to those who
    see context cases."""
    kinds = ["place"] if may_refer_place(user) else []
    if may_view_cases(user):
        if sees_context(user, "group"):
            kinds.append("group")
        if sees_context(user, "place"):
            kinds.append("school")
    return kinds


def refer_link(user) -> str:
    """The home page's words for the referral link: what this user's form offers."""
    return ("Refer a place, group or school" if len(refer_kinds(user)) > 1
            else "Refer a place")
