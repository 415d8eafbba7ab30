"""Input to the case formulation, workforce register and outreach pages; every message names
the field and the reason."""

from django import forms

from saferoptions.cases.forms import text
from saferoptions.contexts.models import Place
from saferoptions.core.date_input import DateField
from saferoptions.core.models import Agency, Locality
from saferoptions.core.widgets import SearchSelect

from .forms import choice
from .models import Programme, RegisteredPractitioner
from .vocabulary import Training, WorksWith


class FormulationForm(forms.Form):
    predisposing = text("Predisposing factors", hint="What made the child vulnerable.")
    precipitating = text("Precipitating factors", hint="What set the present harm off.")
    perpetuating = text("Perpetuating factors", hint="What keeps it going.")
    protective = text("Protective factors", hint="What protects the child and can be built on.")
    hypotheses = text("Hypotheses")
    recommendations = text("Recommendations")
    contributors = forms.MultipleChoiceField(
        label="Who in the team around the child contributed", required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose contributors from the team around the child."})
    other_contributors = text("Others who contributed", required=False, max_length=1000,
                              rows=2, hint="For example the young person or a parent.")
    correction_reason = text("What this version corrects", required=False, max_length=2000,
                             rows=2, hint="Needed for every version after the first.")
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, team=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributors"].choices = [(str(u.pk), str(u)) for u in team]


class PractitionerForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120,
                           error_messages={"required": "Enter the practitioner's name."})
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.all(),
                                    empty_label="Choose an agency", widget=SearchSelect(),
                                    error_messages={"required": "Choose the agency.",
                                                    "invalid_choice": "Choose an agency from "
                                                                      "the list."})
    locality = forms.ModelChoiceField(label="Locality", queryset=Locality.objects.all(),
                                      required=False, empty_label="Across the city")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TrainingForm(forms.Form):
    training = choice("Training", Training.choices, widget=forms.Select)
    trained_on = DateField(label="Date trained")
    expires_on = DateField(label="Expiry date", required=False, future=True,
                           help_text="Leave empty if it does not expire.")


class OutreachForm(forms.Form):
    programme = forms.ModelChoiceField(
        label="Programme", queryset=Programme.objects.filter(
            works_with=WorksWith.PLACE, is_active=True).exclude(trained_in=""),
        empty_label="Choose a programme",
        error_messages={"required": "Choose the programme.",
                        "invalid_choice": "Choose a programme from the list."})
    # Every place in the city or locality, hundreds: searched as the user types.
    place = forms.ModelChoiceField(label="Place", queryset=Place.objects.none(),
                                   empty_label="Choose a place", widget=SearchSelect(),
                                   error_messages={"required": "Choose the place.",
                                                   "invalid_choice": "Choose a place from the "
                                                                     "list."})
    starts_at = DateField(label="Start", with_time=True, future=True)
    ends_at = DateField(label="End", with_time=True, future=True)

    def __init__(self, *args, locality_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        places = Place.objects.select_related("ward")
        if locality_id:
            places = places.filter(ward__locality_id=locality_id)
        self.fields["place"].queryset = places


class StaffForm(forms.Form):
    practitioner = forms.ModelChoiceField(
        label="Practitioner from the register", queryset=RegisteredPractitioner.objects.all(),
        empty_label="Choose a practitioner",
        error_messages={"required": "Choose the practitioner.",
                        "invalid_choice": "Choose a practitioner from the register."})


class SeenForm(forms.Form):
    seen = text("What was seen", hint="Places, groups, what young people said; no names.")
    young_people_met = forms.IntegerField(
        label="Young people met", min_value=0, max_value=1000,
        error_messages={"required": "Enter how many young people were met.",
                        "invalid": "Enter the number of young people met as a whole number.",
                        "min_value": "Enter 0 or more young people met.",
                        "max_value": "Enter 1000 or fewer young people met."})
