"""`{% for label, message in field|summary_errors %}`: what the GOV.UK error summary says for a
field's errors, on every form of the site.
A built-in (settings TEMPLATES "builtins"), so no template needs to load it.

The summary repeats the message shown at the field, which names the field ("Enter what you saw
or heard", "First name must be 100 characters or fewer"), so a label in front of it reads
twice. Django's own wording ("This field is required.", "Ensure this value has at most 200
characters (it has 250).") names no field: away from the box it means nothing, so the summary
gives such a message its field's label (`label` is "" otherwise).
"""

from django import template

register = template.Library()


@register.filter
def summary_errors(bound_field) -> list[tuple[str, str]]:
    """(label, message) for each of the field's errors; label only where Django's wording."""
    field = bound_field.field
    return [(str(bound_field.label) if _djangos_wording(field, error) else "", message)
            for error in bound_field.errors.as_data() for message in error]


def _djangos_wording(field, error) -> bool:
    """Whether an error is Django's stock message: a field's default for its code, or a
    validator's that the form gave no words of its own (run_validators uses the form's)."""
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    if error.code in defaults:
        return str(error.message) == str(defaults[error.code])
    validator_codes = {getattr(v, "code", None) for v in field.validators} - {None}
    return error.code in validator_codes and error.code not in field.error_messages
