"""Forms for the feeds pages: file import, correcting a quarantined row."""

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

