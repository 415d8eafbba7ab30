"""Template filters for the workforce register."""

from django import template

from saferoptions.core import clock

register = template.Library()


@register.filter
def is_expired(training) -> bool:
    """Expired today (by the project clock): shown as expired, never offered for staffing."""
    return training.expires_on is not None and training.expires_on < clock.today()
