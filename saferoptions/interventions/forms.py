"""Input to the interventions pages, validated with messages that name the field and the reason."""

from django import forms

from saferoptions.cases.forms import date_field, text
from saferoptions.core.models import Locality, Team

from .models import Programme
from .vocabulary import (
    RATINGS,
    Consent,
    EndReason,
    Level,
    Measure,
    Need,
    PlacementEnd,
    Respondent,
    RiskLevel,
    RouteIn,
    Training,
    WorksWith,
)

SEXES = [("F", "Girls and young women"), ("M", "Boys and young men")]


def choice(label, choices, *, required=True, widget=forms.RadioSelect):
    return forms.ChoiceField(label=label, choices=choices, required=required, widget=widget,
                             error_messages={"required": f"Choose {label.lower()}.",
                                             "invalid_choice": f"Choose {label.lower()} "
                                                               "from the list."})


def several(label, choices):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"Choose {label.lower()} from the list."})


class RouteForm(forms.Form):
    route_in = choice("Route in", RouteIn.choices, required=False, widget=forms.Select)


class RiskJudgementForm(forms.Form):
    level = choice("The risk level recorded on the child's plan or assessment",
                   RiskLevel.choices)
    needs = several("Needs", Need.choices)


class ReferralForm(forms.Form):
    team = choice("Provider", [], widget=forms.Select)
    route_in = choice("Route in", RouteIn.choices, widget=forms.Select)
    reason = text("Why this programme, for this child, now", max_length=2000)
    young_person_consent = choice("The young person's consent", Consent.choices)
    parent_consent = choice("A parent's consent", Consent.choices, required=False)
    without_consent_reason = text("Reason to proceed without consent", required=False,
                                  max_length=2000,
                                  hint="Only if consent is refused or not yet asked. The data "
                                       "protection officer sees every referral made this way.")
    ineligible_reason = text("Reason to refer although a rule is not met", required=False,
                             max_length=2000, hint="Only if the child does not meet a rule.")

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(str(p.team_id), p.team.name)
                                       for p in programme.providers.all()]


class DeclineForm(forms.Form):
    decline_reason = text("Why the referral is declined", max_length=2000, rows=3)


class StartForm(forms.Form):
    started_on = date_field("Start date")


class EndForm(forms.Form):
    end_reason = choice("Why the referral ends", EndReason.choices)
    outcome = text("Outcome", required=False, max_length=4000, rows=4,
                   hint="What changed for the young person, in their words where you can.")


class SessionForm(forms.Form):
    held_on = date_field("Session date")
    attended = choice("Did the young person attend?", [("yes", "Yes"), ("no", "No")])
    note = forms.CharField(label="Note", required=False, max_length=500)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120,
                           error_messages={"required": "Enter the programme's name."})
    level = choice("Level", Level.choices, widget=forms.Select)
    works_with = choice("Works with", WorksWith.choices, widget=forms.Select)
    offers = text("What it offers", max_length=4000, rows=4)
    takes_referrals = forms.BooleanField(label="Takes referrals", required=False)
    is_active = forms.BooleanField(label="In the catalogue (shown in find support)",
                                   required=False)
    min_months = forms.IntegerField(label="Shortest duration (months)", required=False,
                                    min_value=0, max_value=120)
    max_months = forms.IntegerField(label="Longest duration (months)", required=False,
                                    min_value=0, max_value=120)
    min_age = forms.IntegerField(label="Youngest age", required=False, min_value=0,
                                 max_value=30)
    max_age = forms.IntegerField(label="Oldest age", required=False, min_value=0, max_value=30)
    sexes = several("For", SEXES)
    risk_levels = several("Recorded risk levels", RiskLevel.choices)
    needs = several("Needs (any one)", Need.choices)
    routes_in = several("Routes in", RouteIn.choices)
    includes_siblings = forms.BooleanField(
        label="Siblings of children at these risk levels may be referred", required=False)
    parent_consent_always = forms.BooleanField(
        label="A parent's consent is needed whatever the child's age", required=False)
    outcome_measures = several("Measured before the start and after the end (90 days each)",
                               Measure.choices)
    trained_in = choice("Delivered by people trained in (group and place work)",
                        [("", "No training asked for"), *Training.choices], required=False,
                        widget=forms.Select)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlacesForm(forms.Form):
    monthly_places = forms.IntegerField(
        label="Places each month", min_value=0, max_value=10_000,
        error_messages={"required": "Enter the number of places each month.",
                        "invalid": "Enter the places as a whole number, for example 6.",
                        "min_value": "Enter a number of places of 0 or more."})


class AreaForm(PlacesForm):
    locality = forms.ModelChoiceField(label="Locality", queryset=Locality.objects.all(),
                                      required=False, empty_label="The whole city")


class ProviderForm(forms.Form):
    team = forms.ModelChoiceField(label="Provider's team", queryset=None,
                                  empty_label="Choose a team",
                                  error_messages={"required": "Choose the provider's team."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.select_related("agency")


RATING_CHOICES = [(str(value), label) for value, label in RATINGS]


class RatingForm(forms.Form):
    """The worker's rating and words, and the young person's or parent's on their phone."""

    rating = choice("How helpful was it", RATING_CHOICES)
    words = text("In your own words", required=False, max_length=2000, rows=4)

    def clean_rating(self) -> int:
        return int(self.cleaned_data["rating"])


class FeedbackLinkForm(forms.Form):
    respondent = choice("Who the link is for", [
        (Respondent.YOUNG_PERSON, Respondent.YOUNG_PERSON.label),
        (Respondent.PARENT, Respondent.PARENT.label)])


class ContextPlacementForm(forms.Form):
    """Brokering a programme for a group or a place: provider, why, when, who delivers it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    team = choice("Provider", [], widget=forms.Select)
    reason = text("Why this programme, for this group or place, now", max_length=2000)
    due_on = date_field("Start by")
    practitioners = forms.TypedMultipleChoiceField(
        label="Trained people to ask", coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose trained people from the list."})

    def __init__(self, *args, programme: Programme, trained, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(str(p.team_id), p.team.name)
                                       for p in programme.providers.all()]
        self.fields["practitioners"].choices = [
            (p.pk, f"{p.name}, {p.agency.name}") for p in trained]


class PlacementEndForm(forms.Form):
    """Ending a group's or place's placement: why (its place goes back to the programme)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    end_reason = choice("Why it ends", PlacementEnd.choices)


def _taking_part(label: str) -> forms.IntegerField:
    words = label[0].lower() + label[1:]
    return forms.IntegerField(
        label=label, min_value=0, max_value=1000,
        error_messages={"required": f"Enter how many {words} took part.",
                        "invalid": f"Enter how many {words} took part as a whole number.",
                        "min_value": f"Enter 0 or more {words}.",
                        "max_value": f"Enter 1000 or fewer {words}."})


class ParticipationForm(forms.Form):
    """One activity of a participation strand: when, where, what happened, who took part."""

    programme = forms.ModelChoiceField(
        label="Strand", queryset=Programme.objects.filter(level=Level.PARTICIPATION,
                                                          is_active=True),
        empty_label="Choose a strand",
        error_messages={"required": "Choose the strand.",
                        "invalid_choice": "Choose a strand from the list."})
    held_on = date_field("Date held", future=False)
    locality = forms.ModelChoiceField(label="Locality", queryset=Locality.objects.all(),
                                      required=False, empty_label="Across the city",
                                      error_messages={"invalid_choice": "Choose a locality "
                                                                        "from the list."})
    what_happened = text("What happened", hint="What was done and decided; no names.")
    young_people = _taking_part("Young people")
    parents_carers = _taking_part("Parents and carers")
    own_words = text("The young people's own words", required=False, rows=3,
                     hint="What they said, as they said it; no names.")
    children = forms.CharField(
        label="Children who took part (optional)", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Each child's reference from their page, one a line. Only children you may "
                  "see can be linked.",
        error_messages={"max_length": "Enter at most 4000 characters of references."})


class ParticipationCorrectionForm(ParticipationForm):
    """The activity as it should read, and why (the old values are kept as its history)."""

    reason = text("Why you are correcting it", max_length=2000, rows=3,
                  hint="Kept with the change and shown in the activity's history.")
