"""Input to the review, merge and split pages, validated with messages that name the field."""

from django import forms

from saferoptions.core.models import Agency

from .models import ReviewStatus, UnmatchedKind

REASON_HELP = "Say what you compared and why you decided this. Do not copy personal details."


def _reason(label: str = "Reason") -> forms.CharField:
    return forms.CharField(
        label=label, max_length=2000, strip=True, help_text=REASON_HELP,
        error_messages={"required": "Enter a reason for your decision."},
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}))


class QueueFilterForm(forms.Form):
    """Which agencies' pairs to show, and which page."""

    agency_a = forms.ModelChoiceField(Agency.objects.order_by("name"), required=False,
                                      label="First agency", empty_label="Any agency")
    agency_b = forms.ModelChoiceField(Agency.objects.order_by("name"), required=False,
                                      label="Second agency", empty_label="Any agency")
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def clean(self):
        data = super().clean()
        if bool(data.get("agency_a")) != bool(data.get("agency_b")):
            self.add_error("agency_b", "Choose both agencies, or neither.")
        return data


class PairDecisionForm(forms.Form):
    """A reviewer's decision on a pair."""

    status = forms.ChoiceField(
        label="Are these the same person?", widget=forms.RadioSelect,
        choices=[(ReviewStatus.MATCH, "Yes, the same person (match)"),
                 (ReviewStatus.NOT_MATCH, "No, different people (not a match)"),
                 (ReviewStatus.NOT_SURE, "Not sure: leave it for someone else")],
        error_messages={"required": "Choose match, not a match or not sure."})
    reason = _reason()


class UnmatchedFilterForm(forms.Form):
    """Which records of the unmatched queue to show (one reason, or all), and which page."""

    kind = forms.ChoiceField(label="Why they wait", required=False,
                             choices=[("", "Any reason"), *UnmatchedKind.choices])
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class UnmatchedDecisionForm(forms.Form):
    """Who an unmatched record is: a person chosen from the search, or someone new."""

    person = forms.UUIDField(required=False, label="Person's reference",
                             error_messages={"invalid": "Choose a person from the list."})
    new_person = forms.BooleanField(required=False, label="This is someone new")
    reason = _reason()

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("new_person")):
            self.add_error("person", "Choose a person, or say this is someone new (not both).")
        return data


class NameSearchForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100, strip=True)


class ConfirmForm(forms.Form):
    """A merge, split or undo: the reason, which the audit and the merge record keep."""

    reason = _reason()


class SplitForm(forms.Form):
    """Which of the person's agency records belong to someone else."""

    identities = forms.TypedMultipleChoiceField(
        coerce=int, label="Records that belong to someone else",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one record to move.",
                        "invalid_choice": "Choose only records listed here."})
    reason = _reason()

    def __init__(self, *args, identities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identities"].choices = [(i.pk, str(i.pk)) for i in identities]
