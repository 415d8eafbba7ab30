"""Forms: they check shape and size and name the field; the services hold the rules."""

from django import forms
from django.conf import settings
from django.forms import formset_factory

from saferoptions.contexts.forms import DESCRIBED_PLACE, DescribedPlaceForm
from saferoptions.contexts.models import Place
from saferoptions.core.identifiers import postcode as full_postcode
from saferoptions.core.models import Agency
from saferoptions.core.widgets import ListedOrNotField, ManyRecordsField, search_select
from saferoptions.linkage.normalise import date_of_birth as parse_date_of_birth

from .models import (
    EntityKind,
    HandlingCode,
    IntelligenceAssessment,
    ObjectKind,
    SourceEvaluation,
    Status,
)


def _text(label, *, required=False, max_length=None, help_text="", rows=None, what="",
          missing=""):
    """A text box; `what` names it in a too-long message ("Where must be 300 characters or
    fewer"), `missing` says what to do when a required box is empty (GOV.UK's wording)."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    most = max_length or settings.INTELLIGENCE_MAX_TEXT
    field = forms.CharField(label=label, required=required, help_text=help_text, widget=widget,
                            max_length=most)
    if what:
        field.error_messages["max_length"] = f"{what} must be {most:,} characters or fewer"
    if missing:
        field.error_messages["required"] = missing
    return field


POSTCODE_WORDS = "Enter a full postcode, like BS5 6XY, or leave it empty"


class SubmissionForm(DescribedPlaceForm):
    """A partner's intelligence: what, where (the shared place picker, or a place described
    as "not listed", which becomes a proposed place for the Hub to confirm), when."""

    account = _text("What did you see or hear?", required=True, rows=8, help_text=(
        "Who, what, where and when, in your own words. Say how you know it."))
    account.error_messages["required"] = "Enter what you saw or heard"
    place = ListedOrNotField(
        Place.objects.none(), label="Place", required=False,
        not_listed_label="The place is not listed", reveals=DESCRIBED_PLACE,
        help_text="If it was at a place: start typing its name and choose it. If it is not on "
                  "the list, choose 'The place is not listed' and describe it.")
    when_seen = _text("When", max_length=200, help_text="For example, Friday nights since March.")
    from_community_meeting = forms.BooleanField(
        label="These are notes from a community meeting (It takes a village)", required=False)

    field_order = ["account", "place", *DescribedPlaceForm.DESCRIPTION_FIELDS, "when_seen",
                   "from_community_meeting"]

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places

    def listed_place(self):
        """The place chosen from the list; None when none was chosen or it was described."""
        place = self.cleaned_data.get("place")
        return place if isinstance(place, Place) else None


class EntityForm(forms.Form):
    """One person, object, location or event named in the submission."""

    kind = forms.ChoiceField(label="What is it", choices=EntityKind.choices, error_messages={
        "required": "Choose what it is: a person, an object, a location or an event",
        "invalid_choice": "Choose what it is from the list"})
    object_kind = forms.ChoiceField(label="If an object", required=False,
                                    choices=[("", "Not an object"), *ObjectKind.choices])
    name = _text("Name or nickname", max_length=200)
    identifier = _text("Registration, phone number or other identifier", max_length=100)
    description = _text("Description", max_length=1000, help_text="Age, appearance, colour, "
                        "make, what happened.")
    date_of_birth = forms.CharField(
        label="Date of birth, if it is a person and you know it", required=False, max_length=20,
        help_text="For example, 3/5/2011. The Hub uses it to find who this may be; it is never "
                  "shared onward.")
    postcode = forms.CharField(
        label="Home postcode, if it is a person and you know it", required=False, max_length=10,
        help_text="For example, BS5 6XY. Never shared onward.")

    def clean_date_of_birth(self):
        text = self.cleaned_data["date_of_birth"].strip()
        if not text:
            return None
        born = parse_date_of_birth(text)
        if born is None:
            raise forms.ValidationError("Enter a date of birth like 3/5/2011, or leave it empty.")
        return born

    def clean_postcode(self):
        text = self.cleaned_data["postcode"].strip()
        if text and full_postcode(text) is None:
            raise forms.ValidationError("Enter a full postcode like BS5 6XY, or leave it empty "
                                        "(part of one can go in the description).")
        return full_postcode(text) or ""


EntityFormSet = formset_factory(EntityForm, extra=3, max_num=10, validate_max=True)


class CommunityForm(forms.Form):
    """The public page: plain English, contact details optional, a honeypot for robots."""

    account = _text("What is worrying you?", required=True, rows=8, help_text=(
        "Tell us what you saw or heard, about a place or about a young person. You do not "
        "have to give names."), what="What is worrying you",
        missing="Tell us what is worrying you")
    where = _text("Where", max_length=300, help_text="A street, a shop, a park, a landmark.",
                  what="Where")
    when_seen = _text("When", max_length=200, help_text="For example, most evenings after 9pm.",
                      what="When")
    contact = _text("How can we contact you? (optional)", max_length=300, help_text=(
        "Only if you want us to. You can leave this empty and stay anonymous."),
        what="How we can contact you")
    # People never see this field (hidden by the app's stylesheet, skipped by keyboard and
    # screen readers); a program filling in every field does.
    website = forms.CharField(label="Leave this empty", required=False, max_length=300)


class AddMoreForm(forms.Form):
    reference = forms.CharField(label="Your reference number", max_length=20,
                                help_text="For example, SO-AB3C-D4EF.", error_messages={
                                    "required": "Enter your reference number, like SO-AB3C-D4EF",
                                    "max_length": "Enter your reference number as we gave it, "
                                                  "like SO-AB3C-D4EF"})
    text = _text("What would you like to add?", required=True, rows=6,
                 what="What you would like to add", missing="Tell us what you would like to add")
    website = forms.CharField(label="Leave this empty", required=False, max_length=300)


class GradingForm(forms.Form):
    """The 3x5x2 grading and the risk to the source."""

    source_evaluation = forms.ChoiceField(label="Source evaluation", widget=forms.RadioSelect,
                                          choices=SourceEvaluation.choices)
    intelligence_assessment = forms.ChoiceField(label="Intelligence assessment",
                                                widget=forms.RadioSelect,
                                                choices=IntelligenceAssessment.choices)
    handling_code = forms.ChoiceField(label="Handling code", widget=forms.RadioSelect,
                                      choices=HandlingCode.choices)
    handling_conditions = _text("Conditions (handling code C)", rows=3)
    shared_with = ManyRecordsField(
        label="Agencies it may go to (handling code C)", required=False,
        queryset=Agency.objects.order_by("name"), widget=forms.CheckboxSelectMultiple)
    source_risk = _text("Risk to the source if they were identified", required=True, rows=3)
    loosening_reason = _text("If this lets it go further than before: why", rows=3,
                             help_text="The data protection officer sees this.")


class SanitisedForm(forms.Form):
    """The version to share: a summary, and which of the original's fields to keep."""

    summary = _text("Summary to share", required=True, rows=6, help_text=(
        "Written for wider sharing: nothing that could identify who raised it."))
    keep_place = forms.BooleanField(label="Keep the place", required=False)
    keep_when = forms.BooleanField(label="Keep when it was seen", required=False)

    def __init__(self, *args, entities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.entity_ids = [e.pk for e in entities]
        for e in entities:
            self.fields[f"keep_{e.pk}"] = forms.MultipleChoiceField(
                label=f"{e.get_kind_display()}: keep", required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[("name", "Name"), ("identifier", "Identifier"),
                         ("description", "Description")])

    def kept(self) -> dict:
        """Entity id -> kept field names; an entity with nothing kept is left out."""
        found = {pk: set(self.cleaned_data.get(f"keep_{pk}") or ()) for pk in self.entity_ids}
        return {pk: fields for pk, fields in found.items() if fields}


class LinkForm(forms.Form):
    person = forms.UUIDField(label="Child's reference", required=False,
                             help_text="The reference on the child's record.")
    place = search_select(Place.objects.none(), label="Place")
    group = forms.ModelChoiceField(label="Group", required=False, queryset=None,
                                   empty_label="Choose a group")
    event_reference = forms.CharField(
        label="Event: the reporting agency's reference", required=False, max_length=64,
        help_text="For example, the police incident number this intelligence corroborates.")
    # An event offered on the page (events the analyst may see): one a form was not offered, or
    # may not see, is refused with the same words as one that does not exist.
    event = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput,
                                   error_messages={"invalid_choice": "No event with that "
                                                   "reference that you may see."})
    SUBJECTS = ("person", "place", "group", "event_reference", "event")

    def __init__(self, *args, places, groups, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["group"].queryset = groups
        self.fields["event"].queryset = events

    def clean_event_reference(self):
        return self.cleaned_data["event_reference"].strip()

    def clean(self):
        data = super().clean()
        chosen = [k for k in self.SUBJECTS if data.get(k)]
        if len(chosen) != 1 and not self.errors:
            raise forms.ValidationError("Choose one: a child, a place, a group or an event.")
        return data


class UnlinkForm(forms.Form):
    """Undo a link made in error: the reason is kept with it."""

    link = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": "Choose a link of this report to unlink.",
        "invalid": "Choose a link of this report to unlink."})
    reason = _text("Why was it linked in error?", required=True, rows=2, max_length=1000,
                   help_text="Kept with the link, which stays on file.")


class PlaceReviewForm(forms.Form):
    """Open a place review for one of the places the report is linked to."""

    place = forms.ModelChoiceField(label="Place", queryset=Place.objects.none(),
                                   widget=forms.HiddenInput, error_messages={
                                       "required": "Choose a place the report is linked to",
                                       "invalid_choice": "Choose a place the report is linked "
                                                         "to"})

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Status the person who raised it sees",
                               widget=forms.RadioSelect, choices=Status.choices)
    message = _text("Message to them (optional)", rows=3, help_text=(
        "They see this. Never name a child or say what other agencies know."))
