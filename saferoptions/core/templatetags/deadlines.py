"""`{{ task.due_at|due }}`: every page shows a deadline the same way (core.deadlines).

A built-in (settings TEMPLATES "builtins"), so no template needs to load it.
"""

from django import template

from saferoptions.core.deadlines import due_text, time_left_text

register = template.Library()


@register.filter
def due(value) -> str:
    return due_text(value)


@register.filter
def time_left(value) -> str:
    """`{{ task.due_at|time_left }}`: "2 days 3 hours left", "overdue by 5 hours"."""
    return time_left_text(value)
