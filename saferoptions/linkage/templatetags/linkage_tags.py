"""The merge and split links on a child's page, for the roles that may use them only."""

from django import template

from ..roles import MERGERS

register = template.Library()


@register.inclusion_tag("linkage/_person_links.html", takes_context=True)
def linkage_links(context, person):
    user = context["request"].user
    return {"person": person, "shown": getattr(user, "role", None) in MERGERS}
