"""Plain words for Django's own form messages, on every form that gives a field none of its own.

Django says "Ensure this value has at most 100 characters (it has 6000).", "Select a valid
choice. 7 is not one of the available choices." or "This field is required.": words that name
no box, read like a specification and, for a choice, echo back whatever was posted. Here each
says what to do, in the GOV.UK Design System's words ("Enter a number of 0 or more", "Choose an
option from the list"); a form that gives a field its own words keeps them. The error summary
puts the box's label in front of any of these (core/templatetags/error_summary.py), so it reads
"Child's first name: Enter 100 characters or fewer (you entered 6000)". Set once, from
CoreConfig.ready(), before any form is defined: a field copies its class's messages when made.
"""

from django import forms

TOO_LONG = "Enter %(limit_value)d characters or fewer (you entered %(show_value)d)"
TOO_SHORT = "Enter at least %(limit_value)d characters (you entered %(show_value)d)"
NO_NUL = "Remove the hidden character (NUL) from what you typed"

CHOOSE_ONE = {"required": "Choose an option",
              "invalid_choice": "Choose an option from the list"}
CHOOSE_SOME = {"required": "Choose at least one option",
               "invalid_choice": "Choose options from the list",
               "invalid_list": "Choose options from the list",
               "invalid_pk_value": "Choose options from the list"}
NUMBER = {"required": "Enter a number",
          "max_value": "Enter a number of %(limit_value)s or less",
          "min_value": "Enter a number of %(limit_value)s or more",
          "step_size": "Enter a multiple of %(limit_value)s"}
DECIMAL_DIGITS = {
    "invalid": "Enter a number, like 12 or 3.5",
    "max_digits": "Enter a number with %(max)s digits or fewer",
    "max_decimal_places": "Enter a number with %(max)s decimal places or fewer",
    "max_whole_digits": "Enter a number with %(max)s digits or fewer before the decimal point"}
DATE_EXAMPLE = "27/3/2026"

WORDS: dict[type, dict[str, str]] = {
    forms.Field: {"required": "Enter an answer"},
    forms.CharField: {"max_length": TOO_LONG, "min_length": TOO_SHORT,
                      "null_characters_not_allowed": NO_NUL},
    forms.IntegerField: {**NUMBER, "invalid": "Enter a whole number, like 12"},
    forms.FloatField: {"invalid": "Enter a number, like 12 or 3.5"},
    forms.DecimalField: DECIMAL_DIGITS,
    forms.BooleanField: {"required": "Tick the box to continue"},
    forms.ChoiceField: CHOOSE_ONE,
    forms.ModelChoiceField: CHOOSE_ONE,
    forms.MultipleChoiceField: CHOOSE_SOME,
    forms.ModelMultipleChoiceField: CHOOSE_SOME,
    forms.DateField: {"required": "Enter a date",
                      "invalid": f"Enter a real date, like {DATE_EXAMPLE}"},
    forms.DateTimeField: {"required": "Enter a date and time",
                          "invalid": f"Enter a real date and time, like {DATE_EXAMPLE} 14:30"},
    forms.TimeField: {"required": "Enter a time", "invalid": "Enter a real time, like 14:30"},
    forms.EmailField: {"required": "Enter an email address",
                       "invalid": "Enter an email address in the correct format, like "
                                  "name@example.com"},
    forms.UUIDField: {"invalid": "Enter the reference as it is written on the record, like "
                                 "3f2b8c1e-5d4a-4e7b-9c6f-0a1b2c3d4e5f"},
    forms.URLField: {"invalid": "Enter a web address in the correct format, like "
                                "https://www.example.com"},
    forms.FileField: {"required": "Choose a file",
                      "missing": "Choose a file",
                      "invalid": "The selected file could not be uploaded: try again",
                      "empty": "The selected file is empty",
                      "max_length": "The selected file's name must be %(max)d characters or "
                                    "fewer (it has %(length)d)",
                      "contradiction": "Either choose a file or remove the one there, not both"},
}


def use_plain_words() -> None:
    for field_class, words in WORDS.items():
        field_class.default_error_messages = {
            **field_class.__dict__.get("default_error_messages", {}), **words}
