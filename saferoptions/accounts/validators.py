"""Password rules per NCSC and OWASP: length matters, composition rules do not."""

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Refuse absurdly long passwords (they only cost hashing time); allow long passphrases."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"Password must be {self.max_length} characters or fewer",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."
