"""Information sharing agreements are edited here by the partnership's information governance."""

from django import forms
from django.contrib import admin

from .categories import DataCategory, Purpose
from .models import InformationSharingAgreement


class AgreementForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    purposes = forms.MultipleChoiceField(
        choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = InformationSharingAgreement
        fields = ["name", "provider", "recipient", "categories", "purposes", "lawful_basis",
                  "starts_on", "ends_on"]


@admin.register(InformationSharingAgreement)
class InformationSharingAgreementAdmin(admin.ModelAdmin):
    form = AgreementForm
    list_display = ["name", "provider", "recipient", "lawful_basis", "starts_on", "ends_on"]
    list_filter = ["provider", "recipient", "lawful_basis"]
    search_fields = ["name"]
