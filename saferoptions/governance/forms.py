"""Forms for the DPO's governance actions."""

from django import forms


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        max_length=200, help_text="For example the litigation or inquiry reference. No names.",
        error_messages={"required": "Enter why the record is held, for example the inquiry's "
                                    "reference",
                        "max_length": "Give a hold reason of 200 characters or fewer"},
    )


class DisposalForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have reviewed this record and it is due for disposal",
        error_messages={"required": "Confirm that you have reviewed the record."},
    )


class SubjectAccessSearchForm(forms.Form):
    """The name of the person who asked for their records."""

    q = forms.CharField(
        label="Name of the person who asked", required=False, max_length=100, strip=True,
        error_messages={"max_length": "Give a name of 100 characters or fewer."},
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000,
        error_messages={"invalid": "Give the page as a whole number.",
                        "min_value": "Pages start at 1."},
    )
