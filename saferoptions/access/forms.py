"""The break-glass request: a reference the user already holds, and their reason."""

from django import forms

from .services import REASON_MIN_LENGTH


class BreakGlassForm(forms.Form):
    person = forms.UUIDField(
        label="Record reference",
        help_text="The Safer Options reference you were given, for example in a referral.",
        error_messages={"invalid": "Enter the record reference exactly as you were given it.",
                        "required": "Enter the record reference."},
    )
    reason = forms.CharField(
        label="Why you need this record now", widget=forms.Textarea, min_length=REASON_MIN_LENGTH,
        max_length=2000,
        error_messages={"required": "Enter why you need this record.",
                        "min_length": f"Give a reason of at least {REASON_MIN_LENGTH} characters."},
    )
