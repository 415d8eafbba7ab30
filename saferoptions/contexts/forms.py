"""Forms for context cases, suggested groups, places and hospital locations: input checks only."""

from django import forms
from django.conf import settings

from saferoptions.core.date_input import DateField
from saferoptions.core.models import User
from saferoptions.events.models import EventType

from .models import (
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

TEXT = {"max_length": 4000}


class VersionForm(forms.Form):
    """Every change carries the case version it was read at (see services._locked)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReferForm(forms.Form):
    kind = forms.ChoiceField(label="What is the concern about?", choices=ContextKind.choices,
                             widget=forms.RadioSelect)
    place = forms.ModelChoiceField(queryset=Place.objects.all(), required=False,
                                   label="Place", empty_label="Choose a place")
    group = forms.ModelChoiceField(queryset=Group.objects.all(), required=False,
                                   label="Peer group", empty_label="Choose a group")
    school = forms.ModelChoiceField(queryset=School.objects.all(), required=False,
                                    label="School", empty_label="Choose a school")
    reason = forms.CharField(label="Why are you referring it?", widget=forms.Textarea, **TEXT)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in ContextKind.choices if c[0] in kinds]
            for kind in ContextKind.values:
                if kind not in kinds:
                    del self.fields[kind]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and not data.get(kind):
            self.add_error(kind, f"Choose the {ContextKind(kind).label.lower()}")
        return data


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
    kind = forms.ChoiceField(label="Intervention", choices=InterventionKind.choices)
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


class ResolveLocationForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, max_length=200)
    place = forms.ModelChoiceField(queryset=Place.objects.all(), label="Known place",
                                   empty_label="Choose a place")
    remember = forms.BooleanField(required=False,
                                  label="Remember this description as a name for the place")


class HotspotFilterForm(forms.Form):
    """Which events go into the map: period, days of the week and hours of the day."""

    date_from = forms.DateField(label="From", required=False,
                                input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    date_to = forms.DateField(label="To", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    weekdays = forms.MultipleChoiceField(
        label="Days of the week", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(str(i), d) for i, d in enumerate(
            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
            start=1)])
    hour_from = forms.IntegerField(label="From hour", required=False, min_value=0, max_value=23)
    hour_to = forms.IntegerField(label="To hour", required=False, min_value=0, max_value=23,
                                 help_text="Hours wrap past midnight: 20 to 3 is the night.")
    event_types = forms.MultipleChoiceField(
        label="Sources", required=False, widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(t, EventType(t).label) for t in settings.CONTEXTS_HOTSPOT_EVENT_TYPES])

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the period must be on or after its start")
        return data
