"""Input to the people pages, validated with messages that name the field."""

from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
