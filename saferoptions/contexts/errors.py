"""Refusals from context services: each names the field and says why, for the form to show."""


class ContextInputError(ValueError):
    """Input a context service refuses; `field` and `reason` are safe to show to the user."""

    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class ConflictingEdit(ContextInputError):
    """Someone else changed the case since the form was opened."""

    def __init__(self):
        super().__init__("version", "someone else changed this case since you opened it; "
                                    "reload the page to see their changes, then try again")


class NotAllowed(Exception):
    """The actor may not make this change (the view answers with the common 404)."""
