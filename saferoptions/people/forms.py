"""Input to the people pages, validated with messages that name the field."""

from django import forms

from saferoptions.core.models import Locality


class SearchForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class PageForm(forms.Form):
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class PlaceForm(forms.Form):
    """The Hub places a person no address places."""

    locality = forms.ModelChoiceField(
        label="Locality whose teams will serve them", queryset=Locality.objects.order_by("name"),
        empty_label="Choose a locality",
        error_messages={"required": "Choose the locality whose teams will serve them.",
                        "invalid_choice": "Choose one of the localities listed."})
    reason = forms.CharField(
        label="Why this locality", max_length=300, strip=True,
        help_text="For example, what the school or social worker told you about where they live.",
        error_messages={"required": "Say why this locality serves them.",
                        "max_length": "Say why in 300 characters or fewer."})
