"""The one search-as-you-type picker for long lists (a place, a group, a school).

The page gets a plain <select>, which works without JavaScript; core/autocomplete.js turns it
into accessible-autocomplete (from npm) when scripts run. A field may end its list with "not
listed": choosing it reveals the fields that describe the thing instead (`reveals` names the
element holding them), and the form gets `NOT_LISTED` back, never a guess. Pages that use it
include "includes/autocomplete_assets.html" in their head block; no inline script is needed,
so the Content-Security-Policy may forbid it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from .numbers import whole_number

NOT_LISTED = "not-listed"


class SearchSelect(forms.Select):
    """A select that search-as-you-type takes over when scripts run."""

    search_as_you_type = True  # templates that draw any field pick includes/search_select.html

    def __init__(self, attrs=None, choices=(), *, reveals: str = ""):
        attrs = {"class": "govuk-select", "data-autocomplete": "single", **(attrs or {})}
        if reveals:
            attrs.update({"data-not-listed": NOT_LISTED, "data-reveals": reveals})
        super().__init__(attrs, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The hint says how to use it (includes/search_select.html gives it this id).
        shown = context["widget"]["attrs"]
        if shown.get("id"):
            shown["aria-describedby"] = f"{shown['id']}-hint"
        return context


class _WithNotListed(ModelChoiceIterator):
    """The queryset's choices, then "not listed" last (read lazily, like Django's own)."""

    def __iter__(self):
        yield from super().__iter__()
        yield (NOT_LISTED, self.field.not_listed_label)

    def __len__(self):
        return super().__len__() + 1


class ListedOrNotField(forms.ModelChoiceField):
    """One thing from a long list, or `NOT_LISTED` when the user says it is not there."""

    iterator = _WithNotListed

    def __init__(self, queryset, *, label: str, not_listed_label: str, reveals: str,
                 empty_label: str = "", **kwargs):
        self.not_listed_label = not_listed_label
        noun = label[0].lower() + label[1:]
        kwargs.setdefault("error_messages", {
            "required": f"Choose the {noun}, or choose '{not_listed_label}'",
            "invalid_choice": f"Choose a {noun} from the list, or choose '{not_listed_label}'"})
        super().__init__(queryset, label=label, empty_label=empty_label or f"Choose a {noun}",
                         widget=SearchSelect(reveals=reveals), **kwargs)

    def to_python(self, value):
        if value == NOT_LISTED:
            return NOT_LISTED
        return super().to_python(value)

    def prepare_value(self, value):
        return NOT_LISTED if value == NOT_LISTED else super().prepare_value(value)


class ManyRecordsField(forms.ModelMultipleChoiceField):
    """Several records chosen by their ids; an id that is no whole number the database can hold
    is refused as not one of the list's, before any query.

    Django checks the choices with one `pk__in` query, and a number past 2**63 - 1 there
    overflows SQLite (only `pk=` lookups are guarded by Django): a server error for a form
    posted with a tampered id.
    """

    def _check_values(self, value):
        for pk in value:
            if whole_number(pk) is None:
                raise ValidationError(self.error_messages["invalid_pk_value"],
                                      code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


def search_select(queryset, *, label: str, required: bool = False,
                  empty_label: str = "") -> forms.ModelChoiceField:
    """A choice from a long list with search-as-you-type (no "not listed")."""
    noun = label[0].lower() + label[1:]
    return forms.ModelChoiceField(
        queryset, label=label, required=required, widget=SearchSelect(),
        empty_label=empty_label or f"Choose a {noun}",
        error_messages={"required": f"Choose the {noun}",
                        "invalid_choice": f"Choose a {noun} from the list"})
