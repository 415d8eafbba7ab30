"""The GOV.UK date input lives in core (every app's forms use it); kept here for tasks' imports."""

from saferoptions.core.date_input import DateField, DateInput, when

__all__ = ["DateField", "DateInput", "when"]
