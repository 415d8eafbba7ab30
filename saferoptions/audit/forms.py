"""The DPO's audit search: every filter checked, each error naming its field."""

from django import forms
from django.core.validators import RegexValidator

from saferoptions.core.models import User

from . import actions

plain_word = RegexValidator(r"^[a-z_]+$", "Use lower-case letters and underscores only.")


def _action_choices() -> list[tuple[str, str]]:
    # Asked for on each search, so every app has registered its actions by then.
    return [("", "Any"), *actions.choices()]


class AuditSearchForm(forms.Form):
    """Filters for the audit log search."""

    user = forms.CharField(label="User (username)", required=False, max_length=150)
    action = forms.ChoiceField(required=False, choices=_action_choices)
    object_type = forms.CharField(required=False, max_length=60, validators=[plain_word])
    object_id = forms.CharField(
        label="Object id",
        required=False,
        max_length=64,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", "Enter the record's id.")],
    )
    date_from = forms.DateField(label="From (YYYY-MM-DD)", required=False)
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False)
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

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned
