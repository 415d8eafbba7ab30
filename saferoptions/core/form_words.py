"""Plain words for the one message of Django's that most forms here meet: a text too long.

Django says "Ensure this value has at most 100 characters (it has 6000).", which names no box
and reads like a specification; a form that gives a text box its own words keeps them. The
error summary puts the box's label in front of this message, as of any of Django's own
(core/templatetags/error_summary.py), so it reads "Child's first name: Enter 100 characters or
fewer (you entered 6000)". Set once, from CoreConfig.ready(), before any form is defined.
"""

from django import forms

TOO_LONG = "Enter %(limit_value)d characters or fewer (you entered %(show_value)d)"
TOO_SHORT = "Enter at least %(limit_value)d characters (you entered %(show_value)d)"


def use_plain_words() -> None:
    forms.CharField.default_error_messages = {
        **forms.CharField.__dict__.get("default_error_messages", {}),
        "max_length": TOO_LONG, "min_length": TOO_SHORT}
