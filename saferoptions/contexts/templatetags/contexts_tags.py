"""The "Contexts" section of a child's page: the place, group and school cases touching them."""

from django import template

from ..case_selectors import cases_for_child

register = template.Library()


@register.inclusion_tag("contexts/_child_contexts.html", takes_context=True)
def child_contexts(context, child):
    """Open context cases linked to the child through what the viewer may see, with plans."""
    user = context["request"].user
    return {"cases": cases_for_child(user, child.decision), "person": child.person}
