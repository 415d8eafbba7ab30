"""Errors for bad input to the analytics: each names the field and the reason."""


class AnalyticsInputError(ValueError):
    """Input the analytics cannot use; `field` and `reason` are safe to show to the user."""

    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class OutsideCityError(AnalyticsInputError):
    """Coordinates that fall outside the city's bounding box."""


class UnknownPlaceTypeError(AnalyticsInputError):
    """A place type the partnership does not use."""


class EmptyGroupError(AnalyticsInputError):
    """A group, or a set of people, with nobody in it."""


class MissingColumnError(AnalyticsInputError):
    """A table without a column the calculation needs."""
