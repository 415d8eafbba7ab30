"""Reporting a worry about a person without revealing who (partners), and the Hub's alerts."""

from django import forms
from django.shortcuts import redirect, render

from saferoptions.access.http import not_found
from saferoptions.access.routes import ROLES, SIGNED_IN
from saferoptions.core.floods import limit_reports
from saferoptions.core.identifiers import postcode as full_postcode
from saferoptions.linkage import bloom
from saferoptions.linkage.normalise import date_of_birth as parse_date_of_birth

from . import encoded, services
from .forms import POSTCODE_WORDS
from .views import GRADERS, _refuse, page

DATE_OF_BIRTH_WORDS = "Enter a date of birth like 27/3/2011, or leave it empty"


class WorryForm(forms.Form):
    """Who the worry is about. Every message names the box and what to do (GOV.UK's style);
    a date or postcode that is none is refused here, not silently left out of the encoding."""

    given_name = forms.CharField(label="First name", max_length=100, required=False,
                                 error_messages={"max_length": "First name must be 100 "
                                                               "characters or fewer"})
    family_name = forms.CharField(label="Last name", max_length=100, required=False,
                                  error_messages={"max_length": "Last name must be 100 "
                                                                "characters or fewer"})
    date_of_birth = forms.CharField(label="Date of birth", max_length=20, required=False,
                                    help_text="For example, 27/3/2011. Leave empty if you do "
                                              "not know it.",
                                    error_messages={"max_length": DATE_OF_BIRTH_WORDS})
    postcode = forms.CharField(label="Postcode", max_length=10, required=False,
                               help_text="Where they live, if you know it. For example, BS5 6XY.",
                               error_messages={"max_length": POSTCODE_WORDS})
    encoded = forms.CharField(
        label="Or paste an encoded report", required=False, max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only if you turned the details into a code yourself, with the "
                  "encode-report command: paste the one line it printed. Otherwise leave this "
                  "empty and fill in the boxes above.",
        error_messages={"max_length": "Paste the encoded report as the command printed it: "
                                      "one line of at most 400 characters"})

    def clean_date_of_birth(self):
        text = self.cleaned_data["date_of_birth"].strip()
        if text and parse_date_of_birth(text) is None:
            raise forms.ValidationError(DATE_OF_BIRTH_WORDS)
        return text

    def clean_postcode(self):
        text = self.cleaned_data["postcode"].strip()
        if text and full_postcode(text) is None:
            raise forms.ValidationError(POSTCODE_WORDS)
        return text


@page(SIGNED_IN, "GET", "POST")
@limit_reports
def worry(request):
    """A business, community organisation, licensing or housing officer's worry about a person:
    encoded on submission, never stored as typed; the answer is the same whoever it is."""
    if not encoded.may_report(request.user):
        return not_found(request, "worry")
    form = WorryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            encoded.report_worry(actor=request.user, encoded=d["encoded"], person=bloom.Person(
                d["given_name"], d["family_name"], d["date_of_birth"], d["postcode"]))
        except services.Refused as error:
            _refuse(form, error)
        else:
            return redirect("intelligence:worry-thanks")
    status = 400 if request.method == "POST" else 200
    return render(request, "intelligence/worry.html", {"form": form}, status=status)


@page(SIGNED_IN)
def worry_thanks(request):
    """The one answer every report gets, match or not."""
    if not encoded.may_report(request.user):
        return not_found(request, "worry")
    return render(request, "intelligence/worry_thanks.html")


@page(ROLES, roles=GRADERS)
def encoded_matches(request):
    """The Hub: which encoded reports matched whom (as far as the analyst may see them)."""
    found = encoded.matches_for_hub(request.user, page=request.GET.get("page"))
    return render(request, "intelligence/encoded_matches.html", {"page": found, "keep": ""})
