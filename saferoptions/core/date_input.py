"""The GOV.UK date input (day, month, year, and a time where needed) as a Django form field.

Shared by every app's forms (moved from tasks). Errors use the field's own label, as the
GOV.UK pattern asks: "Enter when contact was made",
"When contact was made must be a real date". A time of day is entered as hour and minute
boxes in the same group, since GOV.UK has no time component and a browser widget differs
from one browser to the next.
"""

import datetime as dt

from django import forms
from django.utils import timezone

from saferoptions.core import clock
from saferoptions.core.numbers import whole_number

DATE_PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
TIME_PARTS = (("hour", "Hour", 2), ("minute", "Minute", 2))


class DateInput(forms.MultiWidget):
    """Day, month and year boxes (and hour and minute) named `<field>_day`, `<field>_month`..."""

    def __init__(self, *, with_time: bool = False):
        parts = DATE_PARTS + (TIME_PARTS if with_time else ())
        widgets = {name: forms.TextInput(attrs={
            "inputmode": "numeric", "part": label, "width": width}) for name, label, width in parts}
        super().__init__(widgets)

    def value_from_datadict(self, data, files, name):
        # One value under the field's own name ("2026-03-17" or "17/3/2026") from an older
        # page, a bookmark or a partner's script is read as its day, month and year.
        if name in data and not any(f"{name}_{part}" in data for part, _, _ in DATE_PARTS):
            return _split(str(data.get(name) or ""), len(self.widgets))
        return super().value_from_datadict(data, files, name)

    def id_for_label(self, id_):
        # The error summary links to the first box (GOV.UK): Django leaves this empty.
        return f"{id_}_0" if id_ else ""

    def decompress(self, value):
        if not value:
            return [None] * len(self.widgets)
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value)
            return [local.day, local.month, local.year, local.hour, f"{local.minute:02d}"]
        return [value.day, value.month, value.year]


def _split(text: str, size: int) -> list:
    """A typed date (and time) as day, month, year (hour, minute) boxes; ISO puts the year first."""
    date_part, _, time_part = text.strip().replace("T", " ").partition(" ")
    pieces = date_part.replace("/", "-").split("-") if date_part else []
    if len(pieces) == 3 and len(pieces[0]) == 4:
        pieces.reverse()
    pieces += time_part.replace(".", ":").split(":")[:2] if time_part else []
    if not pieces:
        return [""] * size
    if len(pieces) < 3:  # not a date at all: let it fail as "must be a real date"
        return [text, *["?"] * (size - 1)]
    return (pieces + [""] * size)[:size]


class DateField(forms.Field):
    """A date (or a date and time, London time) from GOV.UK date input boxes.

    Every message names the field in its label's words; a moment in the future is refused
    unless `future=True`, because what was done cannot have happened yet.
    """

    is_date_input = True

    def __init__(self, *, label: str, with_time: bool = False, future: bool = False, **kwargs):
        self.with_time, self.future = with_time, future
        kwargs.setdefault("widget", DateInput(with_time=with_time))
        super().__init__(label=label, **kwargs)

    def _words(self) -> str:
        return self.label[0].upper() + self.label[1:]

    def _named(self) -> str:
        """The label as the object of "Enter": a label naming a date takes "the" ("Enter the
        referral date", not "Enter referral date"); "When contact was made" reads on as is."""
        words = self.label[0].lower() + self.label[1:]
        if "date" in words and not words.startswith(("when ", "the ", "what ", "how ")):
            return "the " + words
        return words

    def to_python(self, value):
        parts = [str(p or "").strip() for p in (value or [])]
        names = [n for n, _, _ in DATE_PARTS + (TIME_PARTS if self.with_time else ())]
        parts = (parts + [""] * len(names))[: len(names)]
        if not any(parts):
            return None
        missing = [n for n, p in zip(names, parts, strict=True) if not p]
        if missing:
            raise forms.ValidationError(f"{self._words()} must include a {missing[0]}")
        numbers = [whole_number(p, most=9999) for p in parts]
        if None in numbers:
            raise forms.ValidationError(f"{self._words()} must be a real date"
                                        + (" and time" if self.with_time else ""))
        return self._build(numbers)

    def _build(self, numbers):
        try:
            day = dt.date(numbers[2], numbers[1], numbers[0])
        except ValueError:
            raise forms.ValidationError(f"{self._words()} must be a real date") from None
        if numbers[2] < 1900:
            raise forms.ValidationError(f"{self._words()} must be a real date")
        if not self.with_time:
            return day
        hour, minute = numbers[3], numbers[4]
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise forms.ValidationError(f"{self._words()} must be a real time, for example 23 40")
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def validate(self, value):
        if value is None:
            if self.required:
                raise forms.ValidationError(f"Enter {self._named()}")
            return
        if not self.future and value > (clock.now() if self.with_time else clock.today()):
            raise forms.ValidationError(f"{self._words()} must be "
                                        + ("now or in the past" if self.with_time
                                           else "today or in the past"))


def when(value) -> dt.datetime:
    """A date or a moment as a moment: a date alone counts from midday, London time, or from
    now if that is earlier (today's date typed at 00:30 is not "in the future")."""
    if isinstance(value, dt.datetime):
        return value
    midday = timezone.make_aware(dt.datetime.combine(value, dt.time(12, 0)))
    return min(midday, clock.now()) if value == clock.today() else midday
