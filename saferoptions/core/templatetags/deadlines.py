"""`{{ task.due_at|due }}`: every page shows a deadline the same way (core.deadlines).

A built-in (settings TEMPLATES "builtins"), so no template needs to load it.
"""

from django import template

from saferoptions.core.deadlines import due_text

register = template.Library()


@register.filter
def due(value) -> str:
    return due_text(value)
