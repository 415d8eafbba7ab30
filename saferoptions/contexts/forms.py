"""Forms for context cases, suggested groups, places and hospital locations: input checks only."""

from django import forms
from django.conf import settings

from saferoptions.core.date_input import DateField
from saferoptions.core.identifiers import postcode as full_postcode
from saferoptions.core.models import User
from saferoptions.core.widgets import NOT_LISTED, ListedOrNotField, search_select
from saferoptions.events.models import EventType

from .models import (
    PROGRAMME_KINDS,
    ClosureReason,
    ContextKind,
    Group,
    InterventionKind,
    InterventionStatus,
    Place,
    PlaceType,
    School,
)
from .prompts import prompts_for
from .services_places import PlaceDescription

TEXT = {"max_length": 4000}
# The element holding the fields that describe a place that is not listed.
DESCRIBED_PLACE = "described-place"


class VersionForm(forms.Form):
    """Every change carries the case version it was read at (see services._locked)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DescribedPlaceForm(forms.Form):
    """A place that is not on the list, described so the Hub can find it (a base for any form
    whose `place` is a ListedOrNotField revealing `DESCRIBED_PLACE`)."""

    place_name = forms.CharField(label="Name of the place", required=False, max_length=160,
                                 help_text="What people call it, or the name over the door.")
    place_street = forms.CharField(label="Street or landmark", required=False, max_length=200,
                                   help_text="For example, 12 Stokes Croft, or the underpass "
                                             "by the bus station.")
    place_postcode = forms.CharField(label="Postcode (if you know it)", required=False,
                                     max_length=10)
    place_type = forms.ChoiceField(label="What kind of place is it?", required=False,
                                   choices=[("", "Choose a kind of place"), *PlaceType.choices])

    DESCRIPTION_FIELDS = ("place_name", "place_street", "place_postcode", "place_type")
    MISSING = {"place_name": "Enter the name of the place",
               "place_street": "Enter the street, or a landmark near the place",
               "place_type": "Choose what kind of place it is"}

    def describes_place(self, data) -> bool:
        return data.get("place") == NOT_LISTED

    def clean(self):
        data = super().clean()
        if not self.describes_place(data):
            return data
        for name, message in self.MISSING.items():
            if not data.get(name):
                self.add_error(name, message)
        typed = data.get("place_postcode")
        if typed:
            data["place_postcode"] = full_postcode(typed)
            if data["place_postcode"] is None:
                self.add_error("place_postcode",
                               "Enter a real postcode, like BS1 4DJ, or leave it empty")
        return data

    def described_place(self) -> PlaceDescription | None:
        """What the user said about a place that is not listed; None when they chose one."""
        data = self.cleaned_data
        if not self.describes_place(data):
            return None
        return PlaceDescription(name=data["place_name"], street_or_landmark=data["place_street"],
                                postcode=data.get("place_postcode") or "",
                                place_type=data["place_type"])


class ReferForm(DescribedPlaceForm):
    """A referral of a place, group or school: which one, when it was seen and why.

    The places are the ones the user may see; a place that is not on the list is described
    and becomes a proposed place for the Hub to confirm (services_places)."""

    kind = forms.ChoiceField(label="What is the concern about?", choices=ContextKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Choose what the concern is about"})
    place = ListedOrNotField(Place.objects.none(), label="Place", required=False,
                             not_listed_label="The place is not listed", reveals=DESCRIBED_PLACE)
    group = search_select(Group.objects.all(), label="Peer group")
    school = search_select(School.objects.all(), label="School")
    seen_on = DateField(label="When did you see this?", required=False,
                        help_text="The most recent time, if it keeps happening. Leave it empty "
                                  "if you do not know.")
    reason = forms.CharField(
        label="What did you see or hear?", widget=forms.Textarea,
        help_text="Who was there, what happened, and why it worries you.",
        error_messages={"required": "Enter what you saw or heard"}, **TEXT)

    def __init__(self, *args, kinds, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["kind"].choices = [c for c in ContextKind.choices if c[0] in kinds]
        for kind in ContextKind.values:
            if kind not in kinds:
                del self.fields[kind]
        if "place" not in kinds:
            for name in self.DESCRIPTION_FIELDS:
                del self.fields[name]
        if len(kinds) == 1:
            # Nothing to choose: the one kind this user may refer is already chosen.
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["kind"].initial = kinds[0]

    def describes_place(self, data) -> bool:
        # A place chosen and then another kind of concern: the place is not asked about.
        return data.get("kind") == "place" and super().describes_place(data)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        # A choice refused as not on the list has said so already: one message per box.
        if kind and not data.get(kind) and kind not in self.errors:
            label = self.fields[kind].label.lower()
            self.add_error(kind, f"Choose the {label}"
                           + (", or choose 'The place is not listed'" if kind == "place" else ""))
        return data

    @property
    def only_kind(self) -> str:
        """The one kind of context this form refers, or "" when the user chooses."""
        return self.fields["kind"].initial if self.fields["kind"].widget.is_hidden else ""


class AssessmentForm(VersionForm):
    summary = forms.CharField(label="Summary of the assessment", widget=forms.Textarea, **TEXT)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for key, text in prompts_for(kind):
            self.fields[f"prompt_{key}"] = forms.CharField(
                label=text, required=False, widget=forms.Textarea(attrs={"rows": 3}), **TEXT)

    def answers(self) -> dict:
        return {name.removeprefix("prompt_"): value for name, value in self.cleaned_data.items()
                if name.startswith("prompt_")}


class InterventionForm(VersionForm):
    """An action the partners take themselves; programmes are brokered from the catalogue."""

    kind = forms.ChoiceField(label="Intervention", choices=[
        (value, label) for value, label in InterventionKind.choices
        if value not in PROGRAMME_KINDS])
    description = forms.CharField(label="What will be done", widget=forms.Textarea, **TEXT)
    owner = forms.ModelChoiceField(label="Owner", empty_label="Choose who owns it",
                                   queryset=User.objects.filter(is_active=True)
                                   .exclude(role="").order_by("last_name", "username"))
    due_on = DateField(label="Due by", future=True)


class InterventionStatusForm(VersionForm):
    intervention = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Status", choices=InterventionStatus.choices)


class ReviewForm(VersionForm):
    summary = forms.CharField(label="What has changed", widget=forms.Textarea, **TEXT)
    next_review_on = DateField(label="Next review", required=False, future=True)


class CloseForm(VersionForm):
    reason = forms.ChoiceField(label="Why is the case closing?", choices=ClosureReason.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label="Anything to add", required=False, widget=forms.Textarea,
                           **TEXT)


class CorrectReferralForm(VersionForm):
    """The referral as it should read, and why: the earlier words stay on the case."""

    referral_reason = forms.CharField(
        label="What was seen or heard", widget=forms.Textarea,
        error_messages={"required": "Enter what was seen or heard"}, **TEXT)
    seen_on = DateField(label="When it was seen", required=False,
                        help_text="Leave it empty if nobody knows.")
    correction_reason = forms.CharField(
        label="Why the referral is corrected", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was wrong. The earlier words stay on the case with your reason.",
        error_messages={"required": "Enter why the referral is corrected"}, max_length=2000)


class WithdrawReferralForm(VersionForm):
    reason = forms.CharField(
        label="Why the referral is withdrawn", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, it was about another place. The case closes and stays on the "
                  "record with your reason.",
        error_messages={"required": "Enter why the referral is withdrawn"}, max_length=2000)


class CorrectInterventionForm(InterventionForm):
    """An intervention as it should read, and why (its kind and status change elsewhere)."""

    intervention = forms.IntegerField(widget=forms.HiddenInput)
    correction_reason = forms.CharField(
        label="Why the intervention is corrected", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The earlier words stay on the case with your reason.",
        error_messages={"required": "Enter why the intervention is corrected"},
        max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class CorrectReviewForm(ReviewForm):
    review = forms.IntegerField(widget=forms.HiddenInput)
    correction_reason = forms.CharField(
        label="Why the review is corrected", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The earlier words stay on the case with your reason.",
        error_messages={"required": "Enter why the review is corrected"}, max_length=2000)


class CorrectAssessmentForm(AssessmentForm):
    assessment = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Last, after the prompts: why it is put right.
        self.fields["correction_reason"] = forms.CharField(
            label="Why the assessment is corrected", widget=forms.Textarea(attrs={"rows": 3}),
            help_text="The earlier words stay on the case with your reason.",
            error_messages={"required": "Enter why the assessment is corrected"},
            max_length=2000)


class ConfirmGroupForm(forms.Form):
    name = forms.CharField(label="Name for the group", max_length=120)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea,
                                  **TEXT)
    reason = forms.CharField(label="Why open a case on it?", widget=forms.Textarea, **TEXT)


class PlaceForm(forms.Form):
    """A new place; the service checks the box and the type again (see services_places)."""

    name = forms.CharField(label="Place name", max_length=160)
    place_type = forms.CharField(label="Type of place", max_length=24,
                                 widget=forms.Select(choices=[("", "Choose a type"),
                                                              *PlaceType.choices]))
    latitude = forms.FloatField(label="Latitude", help_text="For example, 51.4545")
    longitude = forms.FloatField(label="Longitude", help_text="For example, -2.5879")


class KnownPlaceForm(forms.Form):
    """A known place typed from the one list of places on the page (a datalist, which
    core/autocomplete.js turns into search-as-you-type), rather than a full dropdown per row."""

    place = forms.CharField(label="Known place", max_length=300,
                            error_messages={"required": "Choose the known place"})

    def __init__(self, *args, places: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = places

    def point_at(self, box: str) -> None:
        """The place box's id on the page (one per row), for the error summary's link."""
        self.fields["place"].widget.attrs["id"] = box

    def clean_place(self):
        label = self.cleaned_data["place"].strip()
        if label in self.places:
            return self.places[label]
        # A place's number, as the older page (one dropdown per row) and partners' scripts post.
        by_number = {str(p.pk): p for p in self.places.values()}
        if label in by_number:
            return by_number[label]
        raise forms.ValidationError("Choose a known place from the list, or add it as a new "
                                    "place")


class ResolveLocationForm(KnownPlaceForm):
    text = forms.CharField(widget=forms.HiddenInput, max_length=200)
    remember = forms.BooleanField(required=False,
                                  label="Remember this description as a name for the place")


class MergeProposedPlaceForm(KnownPlaceForm):
    """A described place is one the Hub already knows: its cases move there."""

    proposed = forms.IntegerField(widget=forms.HiddenInput)


DATES = ["%d/%m/%Y", "%Y-%m-%d"]


def _hour_messages(label: str) -> dict:
    wrong = f"{label} must be a whole number from 0 to 23"
    return {"invalid": wrong, "min_value": wrong, "max_value": wrong}


class HotspotFilterForm(forms.Form):
    """Which events go into the map: period, days of the week and hours of the day."""

    date_from = forms.DateField(
        label="From", required=False, input_formats=DATES,
        help_text="A date, for example 27/11/2026. Leave it empty to count from the start.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter the start of the period as a date, like 27/11/2026"})
    date_to = forms.DateField(
        label="To", required=False, input_formats=DATES,
        help_text="A date, for example 31/12/2026. Leave it empty to count up to today.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter the end of the period as a date, like 31/12/2026"})
    weekdays = forms.MultipleChoiceField(
        label="Days of the week", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(str(i), d) for i, d in enumerate(
            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
            start=1)])
    hour_from = forms.IntegerField(
        label="From hour", required=False, min_value=0, max_value=23,
        help_text="An hour of the day, from 0 to 23. Alone, it counts to the end of the day.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2"}),
        error_messages=_hour_messages("From hour"))
    hour_to = forms.IntegerField(
        label="To hour", required=False, min_value=0, max_value=23,
        help_text="Hours wrap past midnight: 20 to 3 is the night.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2"}),
        error_messages=_hour_messages("To hour"))
    event_types = forms.MultipleChoiceField(
        label="Sources", required=False, widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(t, EventType(t).label) for t in settings.CONTEXTS_HOTSPOT_EVENT_TYPES])

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the period must be on or after its start")
        # One hour alone filtered nothing (the map counted every hour): "from 20" runs to the
        # end of the day, "to 3" from midnight.
        first, last = data.get("hour_from"), data.get("hour_to")
        if first is not None and last is None and "hour_to" not in self.errors:
            data["hour_to"] = 23
        if last is not None and first is None and "hour_from" not in self.errors:
            data["hour_from"] = 0
        return data
