"""Sign-in forms. Errors name the field and say what to do, as the GOV.UK patterns ask."""

from django import forms
from django.conf import settings


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
