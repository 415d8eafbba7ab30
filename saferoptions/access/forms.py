"""The break-glass request, and information sharing agreements' proposal and decision."""

from django import forms

from saferoptions.core.models import Agency

from .categories import DataCategory, Purpose
from .models import LawfulBasis, ReviewFinding
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


class BreakGlassReviewForm(forms.Form):
    """The reviewer's judgement on one emergency access: justified or not, and why."""

    finding = forms.ChoiceField(
        choices=ReviewFinding.choices, widget=forms.RadioSelect,
        label="Was this emergency access justified?",
        error_messages={"required": "Choose whether the access was justified",
                        "invalid_choice": "Choose whether the access was justified"})
    note = forms.CharField(
        label="Your notes", widget=forms.Textarea, required=False, max_length=2000,
        help_text="What you checked. If it was not justified, say why and what happens next: "
                  "the person's team managers and the data protection officer are told.")

    def clean(self):
        data = super().clean()
        if data.get("finding") == ReviewFinding.NOT_JUSTIFIED and not data.get("note", "").strip():
            self.add_error("note", "Say why the access was not justified and what happens next")
        return data


DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"]


class AgreementForm(forms.Form):
    """An information sharing agreement as proposed to the data protection officer."""

    name = forms.CharField(max_length=160, label="Name of the agreement", error_messages={
        "required": "Enter the agreement's name",
        "max_length": "The name must be 160 characters or fewer"})
    provider = forms.ModelChoiceField(
        queryset=Agency.objects.all(), label="Agency whose records are shared",
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency whose records are shared",
                        "invalid_choice": "Choose the providing agency in the list"})
    recipient = forms.ModelChoiceField(
        queryset=Agency.objects.all(), label="Agency whose staff may see them",
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency whose staff may see the records",
                        "invalid_choice": "Choose the receiving agency in the list"})
    categories = forms.MultipleChoiceField(
        choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple,
        label="Data categories shared", help_text="Select all that the agreement covers.",
        error_messages={"required": "Choose at least one data category",
                        "invalid_choice": "Choose data categories in the list"})
    purposes = forms.MultipleChoiceField(
        choices=[(p.value, p.label) for p in Purpose if p != Purpose.BREAK_GLASS],
        widget=forms.CheckboxSelectMultiple, label="Purposes",
        help_text="Direct work covers emergency (break-glass) access too.",
        error_messages={"required": "Choose at least one purpose",
                        "invalid_choice": "Choose purposes in the list"})
    lawful_basis = forms.ChoiceField(choices=LawfulBasis.choices, error_messages={
        "required": "Choose the lawful basis",
        "invalid_choice": "Choose a lawful basis in the list"})
    starts_on = forms.DateField(
        input_formats=DATE_FORMATS, label="Starts on", help_text="For example, 01/04/2026",
        error_messages={"required": "Enter the date the agreement starts",
                        "invalid": "Enter the start date as day/month/year, like 01/04/2026"})
    ends_on = forms.DateField(
        input_formats=DATE_FORMATS, required=False, label="Ends on (optional)",
        help_text="The first day it no longer applies. Leave empty if it has no end date.",
        error_messages={"invalid": "Enter the end date as day/month/year, like 31/03/2029"})


class AgreementDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve: it takes effect now"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or refuse the agreement",
                        "invalid_choice": "Choose whether to approve or refuse the agreement"})
    note = forms.CharField(label="Why", widget=forms.Textarea, max_length=1000, error_messages={
        "required": "Say why", "max_length": "Keep it to 1,000 characters or fewer"})


class AgreementEndForm(forms.Form):
    ends_on = forms.DateField(
        input_formats=DATE_FORMATS, label="First day it no longer applies",
        help_text="For example, 01/05/2026. Today ends it from today.",
        error_messages={"required": "Enter the date the agreement ends",
                        "invalid": "Enter the end date as day/month/year, like 01/05/2026"})
