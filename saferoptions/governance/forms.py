"""Forms for the DPO's governance actions."""

from django import forms


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        max_length=200, help_text="For example the litigation or inquiry reference. No names."
    )


class DisposalForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have reviewed this record and it is due for disposal",
        error_messages={"required": "Confirm that you have reviewed the record."},
    )
