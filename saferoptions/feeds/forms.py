"""Forms for the feeds pages: file import, correcting a quarantined row, partner systems."""

from django import forms
from django.conf import settings

from saferoptions.core.models import Agency

from .models import FeedType
from .services import too_large

# Read by what they hold, not by their name: a CSV named .xlsx is read as CSV.
SUFFIXES = (".csv", ".xlsx", ".txt", ".tsv")


class ImportForm(forms.Form):
    feed_type = forms.ChoiceField(label="Feed", choices=FeedType.choices,
                                  widget=forms.Select(attrs={"class": "govuk-select"}))
    file = forms.FileField(label="CSV or XLSX file",
                           help_text="Use the feed's template: the first row names the columns.",
                           widget=forms.FileInput(attrs={"class": "govuk-file-upload"}))

    def __init__(self, *args, feed_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feed_type"].choices = [c for c in FeedType.choices if c[0] in feed_types]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if name.endswith(".xls"):
            raise forms.ValidationError("The file is an old Excel 97-2003 workbook (.xls): "
                                        "save it as XLSX or CSV UTF-8.")
        if not name.endswith(SUFFIXES):
            raise forms.ValidationError("Choose a .csv or .xlsx file (or the .txt or .tsv "
                                        "that Excel saves as Unicode Text).")
        if upload.size > settings.FEEDS_MAX_FILE_BYTES:
            raise forms.ValidationError(f"The file {too_large(upload.size)}.")
        return upload


class CorrectionForm(forms.Form):
    raw = forms.CharField(label="The message as it will be replayed", widget=forms.Textarea(
        attrs={"rows": 12, "class": "govuk-textarea", "spellcheck": "false"}))



REASON_HELP = ("Kept in the audit log for the data protection officer. Do not include personal "
               "details or the token.")


def _reason() -> forms.CharField:
    return forms.CharField(
        label="Reason", max_length=200, strip=True, help_text=REASON_HELP,
        error_messages={"required": "Enter the reason for this change.",
                        "max_length": "The reason must be 200 characters or fewer."},
        widget=forms.Textarea(attrs={"rows": 3}))


def _feed_types() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Feed types it may send", choices=FeedType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="It can send only these; anything else gets the same answer as a feed that "
                  "does not exist.",
        error_messages={"required": "Choose at least one feed type.",
                        "invalid_choice": "Choose only feed types listed here."})


class PartnerSystemForm(forms.Form):
    """A new partner system: what it is called, who it sends for, and what."""

    name = forms.CharField(
        label="Name", max_length=120, strip=True,
        help_text="How the partnership knows the system, e.g. \u201cPolice records system\u201d.",
        error_messages={"required": "Enter a name for the partner system.",
                        "max_length": "The name must be 120 characters or fewer."})
    agency = forms.ModelChoiceField(
        Agency.objects.order_by("name"), label="Agency", empty_label="Choose an agency",
        help_text="Everything it sends is recorded as coming from this agency. It cannot be "
                  "changed later.",
        error_messages={"required": "Choose the agency this system sends for.",
                        "invalid_choice": "Choose an agency from the list."})
    feed_types = _feed_types()


class PartnerFeedTypesForm(forms.Form):
    """A change to the feed types a system may send, with the reason."""

    feed_types = _feed_types()
    reason = _reason()


class PartnerReasonForm(forms.Form):
    """Confirming a token rotation, a revocation or a reactivation, with the reason."""

    reason = _reason()
    # The hint of the token the administrator saw (rotation only): a second send changes nothing.
    replacing = forms.CharField(required=False, widget=forms.HiddenInput)
