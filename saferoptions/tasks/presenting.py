"""Stored answers back into words (for reading) and into a form (for correcting)."""

import datetime as dt

from django import forms
from django.utils import timezone

from .fields import DateField
from .forms import outcome_form_class
from .models import TaskOutcome


def _words(field: forms.Field, value) -> str:
    if isinstance(field, DateField) and value:
        moment = _parse(field, value)
        return (timezone.localtime(moment).strftime("%-d %B %Y, %H:%M") if field.with_time
                else moment.strftime("%-d %B %Y"))
    if isinstance(value, dict):  # a programme: kept with its name as it was then
        return value.get("name", "")
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value) or "None given"
    return str(choices.get(value, value)) if value not in ("", None) else "Not given"


def answers_for_reading(outcome: TaskOutcome) -> list[tuple[str, str]]:
    """(label, words) for the outcome and each answer, in the form's order."""
    form = outcome_form_class(outcome.task_type)()
    answers = {**outcome.answers, "outcome": outcome.outcome}
    return [(field.label, _words(field, answers.get(name)))
            for name, field in form.fields.items() if name in answers]


def _parse(field: DateField, text: str):
    return dt.datetime.fromisoformat(text) if field.with_time else dt.date.fromisoformat(text)


def initial_from(outcome: TaskOutcome) -> dict:
    """The form's starting values for a correction: the current version's answers."""
    form = outcome_form_class(outcome.task_type)()
    initial = {"outcome": outcome.outcome}
    for name, field in form.fields.items():
        value = outcome.answers.get(name)
        if value in (None, ""):
            continue
        if isinstance(field, DateField):
            value = _parse(field, value)
        elif isinstance(value, dict):
            value = value.get("id")
        initial[name] = value
    return initial
