"""Sign-in and account forms: errors name the field and say what to do (GOV.UK patterns)."""

from django import forms
from django.conf import settings

from saferoptions.core.models import Agency, Locality, Role, Team

from .reach import Placement


class SignInForm(forms.Form):
    """Username and password: the first of the two steps."""

    username = forms.CharField(
        max_length=150,
        error_messages={
            "required": "Enter your username",
            "max_length": "Username must be 150 characters or fewer",
        },
    )
    password = forms.CharField(
        strip=False,
        max_length=settings.ACCOUNTS_PASSWORD_MAX_LENGTH,
        error_messages={
            "required": "Enter your password",
            "max_length": "Password must be %(limit_value)d characters or fewer",
        },
    )


class CodeForm(forms.Form):
    """The six-digit code from an authenticator app: the second step."""

    code = forms.CharField(
        max_length=20,
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "max_length": "The code must be 6 digits",
        },
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("The code must be 6 digits")
        return code


# --- managing accounts (system administrators) -----------------------------------------------

def _choice(queryset, label: str, empty: str):
    return forms.ModelChoiceField(
        queryset=queryset, required=False, label=label, empty_label=empty,
        error_messages={"invalid_choice": f"Choose the {label.lower()} in the list"})


class PlacementForm(forms.Form):
    """Role, agency, team and locality: what the access policy reads about an account."""

    role = forms.ChoiceField(
        choices=[("", "No role (no access)"), *Role.choices], required=False,
        error_messages={"invalid_choice": "Select a role from the list"})
    agency = _choice(Agency.objects.all(), "Agency", "No agency")
    team = _choice(Team.objects.select_related("agency"), "Team", "No team")
    locality = _choice(Locality.objects.all(), "Locality",
                       "No locality (city-wide)")
    is_active = forms.BooleanField(label="The account can sign in", required=False)
    note = forms.CharField(
        label="Why", widget=forms.Textarea, max_length=1000,
        help_text="Say why, for the person who approves it and for the audit log.",
        error_messages={"required": "Say why the account is being changed",
                        "max_length": "Keep the reason to 1,000 characters or fewer"})

    def clean(self):
        cleaned = super().clean()
        team, agency = cleaned.get("team"), cleaned.get("agency")
        if cleaned.get("role") and agency is None:
            self.add_error("agency", "Select the agency the person works for")
        if team is not None and agency is not None and team.agency_id != agency.pk:
            self.add_error("team", f"{team} is not a team of {agency}: choose one of its teams")
        return cleaned

    def placement(self) -> Placement:
        c = self.cleaned_data
        return Placement(c["role"], getattr(c["agency"], "pk", None),
                         getattr(c["team"], "pk", None), getattr(c["locality"], "pk", None),
                         c.get("is_active", True))


class NewAccountForm(PlacementForm):
    """A new account: who the person is, then where they sit."""

    field_order = ["username", "first_name", "last_name", "email", "role", "agency", "team",
                   "locality", "note"]
    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z", max_length=150,
        error_messages={"required": "Enter a username",
                        "invalid": "Use letters, numbers and . @ + - _ only in the username",
                        "max_length": "The username must be 150 characters or fewer"})
    first_name = forms.CharField(max_length=150, error_messages={
        "required": "Enter the person's first name"})
    last_name = forms.CharField(max_length=150, error_messages={
        "required": "Enter the person's last name"})
    email = forms.EmailField(
        label="Work email address", max_length=254,
        help_text="Their own work address: their password link is sent there, never shown here",
        error_messages={"required": "Enter the person's work email address",
                        "invalid": "Enter an email address like name@example.org",
                        "max_length": "The email address must be 254 characters or fewer"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]  # a new account can sign in once it has a password


class ReasonForm(forms.Form):
    """Why: for a second-factor reset or a decision on a proposed change."""

    note = forms.CharField(
        label="Why", widget=forms.Textarea, max_length=1000,
        error_messages={"required": "Say why", "max_length": "Keep it to 1,000 characters or "
                                                           "fewer"})


class DecisionForm(ReasonForm):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("refuse", "Refuse")], widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or refuse the change",
                        "invalid_choice": "Choose whether to approve or refuse the change"})


class AccountFilterForm(forms.Form):
    text = forms.CharField(label="Name or username", required=False, max_length=150,
                           error_messages={"max_length": "Search for 150 characters or fewer"})
    role = forms.ChoiceField(choices=[("", "Any role"), *Role.choices], required=False,
                             error_messages={"invalid_choice": "Select a role from the list"})
    agency = _choice(Agency.objects.all(), "Agency", "Any agency")
    status = forms.ChoiceField(
        choices=[("", "Any"), ("active", "Can sign in"), ("disabled", "Disabled")],
        required=False, error_messages={"invalid_choice": "Select a status from the list"})
