"""Every GOV.UK error summary on the site says what the field says: a message that names its box
is not given the label again ("First name: First name must be 100 characters or fewer"), and
Django's own wording, which names no box, is."""

import pytest
from django import forms
from django.template.loader import render_to_string

from saferoptions.core.templatetags.error_summary import summary_errors
from tests.web.test_choose_labels import _forms

SUMMARIES = [
    "cases/_errors.html", "intelligence/_errors.html", "interventions/_errors.html",
    "linkage/_errors.html", "meetings/_errors.html", "includes/error_summary.html",
    "includes/form_errors.html", "feeds/partner_errors.html", "contexts/_form_errors.html",
    "contexts/_form.html",
]


class NamingForm(forms.Form):
    given_name = forms.CharField(label="First name", max_length=5, error_messages={
        "max_length": "First name must be 5 characters or fewer"})
    where = forms.CharField(label="Where", max_length=5)  # the site's too-long message
    when = forms.CharField(label="When")  # Django's own "required"
    kind = forms.ChoiceField(label="What is it", choices=[("a", "A")])
    postcode = forms.CharField(label="Postcode", required=False)
    reason = forms.CharField(label="Reason", required=False)

    def clean_postcode(self):
        raise forms.ValidationError("Enter a full postcode, like BS5 6XY")


def _bound():
    form = NamingForm({"given_name": "Tyrese", "where": "Easton Road", "kind": "z",
                       "postcode": "x"})
    assert not form.is_valid()
    form.add_error("reason", "Say why in 300 characters or fewer.")  # a service's Refused
    return form


@pytest.mark.parametrize(("field", "said"), [
    ("given_name", [("", "First name must be 5 characters or fewer")]),
    ("where", [("Where", "Enter 5 characters or fewer (you entered 11)")]),
    ("when", [("When", "Enter an answer")]),
    ("kind", [("What is it", "Choose an option from the list")]),
    ("postcode", [("", "Enter a full postcode, like BS5 6XY")]),
    ("reason", [("", "Say why in 300 characters or fewer.")]),
])
def test_only_djangos_own_wording_is_given_its_label(field, said):
    assert summary_errors(_bound()[field]) == said


@pytest.mark.parametrize("template", SUMMARIES)
def test_every_summary_names_the_field_once(template):
    page = render_to_string(template, {"form": _bound()})
    assert "First name must be 5 characters or fewer" in page
    assert "First name: First name" not in page and "Postcode: Enter" not in page
    assert "Where: Enter 5 characters or fewer (you entered 11)" in page
    assert "When: Enter an answer" in page


def test_an_entry_on_the_sharing_form_keeps_its_number():
    entry = _bound()
    page = render_to_string("intelligence/_errors.html",
                            {"form": NamingForm({"given_name": "T", "where": "W", "when": "x",
                                                 "kind": "a"}),
                             "entry_forms": _Entries([entry])})
    assert "Entry 1: First name must be 5 characters or fewer" in page
    assert "Entry 1, where: Enter 5 characters or fewer" in page


class _Entries(list):
    """What the template reads of a formset: its forms and its counts."""

    total_error_count = 1

    def non_form_errors(self):
        return []


def test_a_text_too_long_is_said_in_plain_words_on_every_form():
    # Django's "Ensure this value has at most 100 characters (it has 6000)." reached the
    # community member's 'Raise a concern' and 'Refer a place' (seen on the tour); every form's
    # text boxes now say it the site's way unless the form has words of its own.
    django_words = [f"{module}.{name}.{field}" for module, name, cls in _forms()
                    for field, f in cls.base_fields.items()
                    if isinstance(f, forms.CharField) and f.max_length
                    and "Ensure this value" in str(f.error_messages["max_length"])]
    assert django_words == []
    with pytest.raises(forms.ValidationError) as refused:
        forms.CharField(max_length=100).clean("x" * 6000)
    assert refused.value.messages == ["Enter 100 characters or fewer (you entered 6000)"]
