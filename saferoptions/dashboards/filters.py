"""The dashboards' filters from the query string: period, locality, ward and age band.

A value that cannot be used never fails the page: the filter falls back (all localities, the
default period...) and the page says which value was not used and why.
"""

import datetime as dt
from dataclasses import dataclass, field

from saferoptions.analytics.figures import week_starts
from saferoptions.core import clock
from saferoptions.core.models import Locality, Ward

PERIODS = {"4w": 4, "12w": 12, "26w": 26, "52w": 52}
PERIOD_NAMES = {"4w": "Last 4 weeks", "12w": "Last 12 weeks", "26w": "Last 26 weeks",
                "52w": "Last 52 weeks"}
DEFAULT_PERIOD = "12w"
# Age at the time of the concern, event or clock; "18-24" covers young adults.
AGE_BANDS = {"0-9": (0, 9), "10-13": (10, 13), "14-15": (14, 15), "16-17": (16, 17),
             "18-24": (18, 24)}
FIELDS = ("period", "locality", "ward", "age")


@dataclass
class Filters:
    """What the figures are narrowed to, and the messages about values not used."""

    period: str
    weeks: list[dt.date]
    start: dt.datetime
    end: dt.datetime
    locality: Locality | None = None
    ward: Ward | None = None
    age: str = ""
    messages: list[str] = field(default_factory=list)
    # Rows already read for this request (dashboards.sources): each set is read once per
    # page view, and a new request starts empty, so nothing read is ever stale.
    frames: dict = field(default_factory=dict, repr=False, compare=False)
    # A first view only counts: no figure of it is drilled into in the same request (a
    # drill-down or CSV builds its own figure), so who each event is about need not be read
    # where its place already gives the locality (dashboards.sources).
    counting: bool = field(default=False, compare=False)

    @property
    def ages(self) -> tuple[int, int] | None:
        return AGE_BANDS.get(self.age)

    def query(self) -> dict:
        """The filters as query-string values, for links that keep them."""
        values = {"period": self.period,
                  "locality": self.locality.slug if self.locality else "",
                  "ward": self.ward.code if self.ward else "", "age": self.age}
        return {k: v for k, v in values.items() if v}

    def described(self) -> dict:
        """For the audit row and the CSV: ids and codes, never anyone's details."""
        return {"period": self.period, "start": self.start.isoformat(),
                "end": self.end.isoformat(), **self.query()}


def parse(query) -> Filters:
    """Filters from a QueryDict (or dict); each bad value falls back with a message."""
    messages: list[str] = []
    period = _period(query.get("period", ""), messages)
    now = clock.now()
    weeks = week_starts(clock.local(now).date(), PERIODS[period])
    start = dt.datetime.combine(weeks[0], dt.time(0), tzinfo=clock.LOCAL)
    filters = Filters(period=period, weeks=weeks, start=start, end=now, messages=messages)
    filters.locality = _locality(query.get("locality", ""), messages)
    filters.ward = _ward(query.get("ward", ""), filters, messages)
    filters.age = _age(query.get("age", ""), messages)
    return filters


def _period(value: str, messages: list) -> str:
    if value in PERIODS or not value:
        return value or DEFAULT_PERIOD
    messages.append(f"Period: “{value[:20]}” is not one of {', '.join(PERIODS)}; "
                    f"showing the last {PERIODS[DEFAULT_PERIOD]} weeks.")
    return DEFAULT_PERIOD


def _locality(value: str, messages: list) -> Locality | None:
    if not value:
        return None
    found = Locality.objects.filter(slug=value).first()
    if found is None:
        messages.append(f"Locality: “{value[:40]}” is not a locality; showing every locality.")
    return found


def _ward(value: str, filters: Filters, messages: list) -> Ward | None:
    if not value:
        return None
    ward = Ward.objects.select_related("locality").filter(code=value).first()
    if ward is None:
        messages.append(f"Ward: “{value[:20]}” is not a ward code; showing every ward.")
        return None
    if filters.locality is None:
        filters.locality = ward.locality
    elif ward.locality_id != filters.locality.pk:
        messages.append(f"Ward: {ward.name} is not in {filters.locality.name}; "
                        "showing every ward of the locality.")
        return None
    return ward


def _age(value: str, messages: list) -> str:
    if value in AGE_BANDS or not value:
        return value
    messages.append(f"Age band: “{value[:20]}” is not one of {', '.join(AGE_BANDS)}; "
                    "showing every age.")
    return ""


def locality_choices() -> list[tuple[str, str]]:
    return list(Locality.objects.order_by("name").values_list("slug", "name"))


def ward_choices(filters: Filters) -> list[tuple[str, str]]:
    """Wards of the chosen locality (all wards when none is chosen)."""
    wards = Ward.objects.order_by("name")
    if filters.locality is not None:
        wards = wards.filter(locality=filters.locality)
    return list(wards.values_list("code", "name"))
