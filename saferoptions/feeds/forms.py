"""Forms for the feeds pages: file import, correcting a quarantined row, resolving identity."""

from django import forms
from django.conf import settings

from .models import FeedType


class ImportForm(forms.Form):
    feed_type = forms.ChoiceField(label="Feed", choices=FeedType.choices)
    file = forms.FileField(label="CSV or XLSX file",
                           help_text="Use the feed's template: the first row names the columns.")

    def __init__(self, *args, feed_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feed_type"].choices = [c for c in FeedType.choices if c[0] in feed_types]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Choose a .csv or .xlsx file.")
        if upload.size > settings.FEEDS_MAX_FILE_BYTES:
            raise forms.ValidationError("The file is too large.")
        return upload


class CorrectionForm(forms.Form):
    raw = forms.CharField(label="The message as it will be replayed", widget=forms.Textarea(
        attrs={"rows": 12, "class": "govuk-textarea", "spellcheck": "false"}))


class ResolveForm(forms.Form):
    person = forms.UUIDField(required=False, label="Person reference",
                             help_text="The person's reference, if they are already known.")
    new_person = forms.BooleanField(required=False, label="This is someone new")

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("new_person")):
            raise forms.ValidationError("Choose a person, or confirm this is someone new.")
        return data
