"""Refusals the meeting services give, naming the field and the reason (shown on the form)."""


class Refused(ValueError):
    """A change that cannot be made as asked: `field` and `message` say why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class NotAllowed(Exception):
    """The user may not do this here: answered with the same 404 as a missing meeting."""
