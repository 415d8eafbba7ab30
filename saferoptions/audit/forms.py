"""The DPO's audit search: every filter checked, each error naming its field."""

from django import forms
from django.core.validators import RegexValidator

from saferoptions.core.models import User

from . import actions

plain_word = RegexValidator(r"^[a-z_]+$", "Enter a record type in letters only, like Person.")
# Day first, as people here write dates; the old year-first form still works in saved links.
DATES = ["%d/%m/%Y", "%Y-%m-%d"]


def _action_choices() -> list[tuple[str, str]]:
    # Asked for on each search, so every app has registered its actions by then.
    return [("", "Any"), *actions.choices()]


class AuditSearchForm(forms.Form):
    """Filters for the audit log search."""

    user = forms.CharField(label="User (username)", required=False, max_length=150)
    action = forms.ChoiceField(required=False, choices=_action_choices)
    object_type = forms.CharField(
        label="Record type", required=False, max_length=60,
        help_text="As the Record column names it, for example Person or Concern.")
    object_id = forms.CharField(
        label="Object id",
        required=False,
        max_length=64,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", "Enter the record's id.")],
    )
    date_from = forms.DateField(
        label="From", required=False, input_formats=DATES,
        help_text="A date, for example 1/11/2026.",
        error_messages={"invalid": "Enter the start date as a date, like 1/11/2026"})
    date_to = forms.DateField(
        label="To", required=False, input_formats=DATES,
        help_text="A date, for example 30/11/2026.",
        error_messages={"invalid": "Enter the end date as a date, like 30/11/2026"})
    outcome = forms.ChoiceField(
        required=False, choices=[("", "Any"), ("ok", "Allowed"), ("denied", "Denied")]
    )

    def clean_user(self):
        username = self.cleaned_data["user"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError("There is no user with that username.")
        return user

    def clean_object_type(self):
        # The Record column shows a type in words ("Registered practitioner"): typed back as
        # shown, it is the same code ("registered_practitioner").
        code = "_".join(self.cleaned_data["object_type"].lower().split())
        if code:
            plain_word(code)
        return code

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned
