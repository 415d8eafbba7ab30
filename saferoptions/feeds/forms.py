"""Forms for the feeds pages: file import, correcting a quarantined row, partner systems."""

from django import forms
from django.conf import settings

from saferoptions.contexts.models import Place, School
from saferoptions.core.date_input import DateField
from saferoptions.core.models import Agency
from saferoptions.core.widgets import SearchSelect

from .incidents import Incident
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


WHERE = [("school", "At the child's school"), ("place", "At a place the partnership knows"),
         ("words", "Somewhere else")]


def _required(field: forms.Field, words: str) -> forms.Field:
    field.error_messages.update({"required": words, "invalid_choice": words})
    return field


class IncidentForm(forms.Form):
    """One incident, typed as the agency's feed would send it (`incidents.message_for`)."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    kind = forms.ChoiceField(label="What happened",
                             error_messages={"required": "Choose what happened.",
                                             "invalid_choice": "Choose what happened from "
                                                               "the list."})
    given_name = forms.CharField(label="Child's first name", max_length=100, required=False)
    family_name = _required(forms.CharField(label="Child's last name", max_length=100),
                            "Enter the child's last name.")
    date_of_birth = DateField(label="Child's date of birth", required=False,
                              help_text="If you know it.")
    child_id = forms.CharField(
        label="Your agency's number for the child (optional)", max_length=64, required=False,
        help_text="For example the pupil number or hospital number, so your records of the "
                  "same child are joined up.")
    school = forms.ModelChoiceField(
        School.objects.order_by("name"), label="Child's school", required=False,
        empty_label="Choose a school", widget=SearchSelect(),
        error_messages={"invalid_choice": "Choose a school from the list."})
    occurred_at = DateField(label="When it happened", with_time=True)
    where = _required(forms.ChoiceField(label="Where it happened", choices=WHERE,
                                        widget=forms.RadioSelect),
                      "Choose where it happened.")
    place = forms.ModelChoiceField(
        Place.objects.order_by("name"), label="The place", required=False,
        empty_label="Choose a place", widget=SearchSelect(),
        help_text="If it happened at a place the partnership knows: start typing, then choose "
                  "from the list.",
        error_messages={"invalid_choice": "Choose a place from the list."})
    where_words = forms.CharField(label="Where, in words", max_length=200, required=False,
                                  help_text="If it happened somewhere else. For example: the bus "
                                            "stop outside the library.")
    summary = _required(forms.CharField(
        label="Describe what happened", max_length=2000,
        help_text="What you saw or were told. Keep to the facts.",
        widget=forms.Textarea(attrs={"rows": 4})), "Describe what happened.")

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {k.choice: k for k in kinds}
        field = self.fields["kind"]
        field.choices = [("", "Choose what happened")] * (len(kinds) > 8) + [
            (k.choice, k.label) for k in kinds]
        if len(kinds) <= 8:
            field.widget = forms.RadioSelect(choices=field.choices)
        if any(k.feed_type == FeedType.ED_ASSAULT for k in kinds):
            self.fields["date_of_birth"].help_text = ("Needed for a hospital referral: the "
                                                      "rapid response depends on their age.")

    def clean(self):
        data = super().clean()
        kind, where = self.kinds.get(data.get("kind")), data.get("where")
        if kind and kind.feed_type == FeedType.SCHOOL_INCIDENT and not data.get("school"):
            self.add_error("school", "Choose the child's school: a school incident is "
                                     "recorded against the school.")
        if kind and kind.feed_type == FeedType.ED_ASSAULT and not data.get("date_of_birth"):
            self.add_error("date_of_birth", "Enter the child's date of birth: the rapid "
                                            "response depends on their age.")
        if where == "school" and not data.get("school") and "school" not in self.errors:
            self.add_error("school", "Choose the child's school, or say it happened somewhere "
                                     "else.")
        if where == "place" and not data.get("place") and "place" not in self.errors:
            self.add_error("place", "Choose the place from the list, or say where in words.")
        if where == "words" and not data.get("where_words", "").strip():
            self.add_error("where_words", "Say where it happened.")
        return data

    def incident(self) -> Incident:
        data = self.cleaned_data
        school, where = data.get("school"), data["where"]
        place = {"school": school.place if school else None,
                 "place": data.get("place")}.get(where)
        return Incident(
            kind=self.kinds[data["kind"]], key=data["key"], occurred_at=data["occurred_at"],
            summary=data["summary"], given_name=data["given_name"],
            family_name=data["family_name"], date_of_birth=data["date_of_birth"],
            child_id=data["child_id"].strip(), school_urn=school.urn if school else "",
            place={"name": place.name, "place_type": place.place_type} if place else None,
            location_description=data["where_words"].strip() if where == "words" else "")
