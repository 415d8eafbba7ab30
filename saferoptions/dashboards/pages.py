"""What each dashboard page reads, audited in the same transaction (aggregates and drill-downs).

The figures hold no personal values; place names are put on them per reader through the
access policy (`places`), and a drill-down lists only the people the access policy
lets this user list, and says how many are withheld only where the figure itself is shown.

Every read asks once whether this reader may have exact counts (`exact_reader`), and every
output of a figure (page, "At a glance", chart, CSV, XLSX, drill-down cell) is shown by that
one answer (`figures.show`): rounded for a reader of aggregates, so nested periods ending now
cannot be subtracted to learn a small count.
"""

from dataclasses import dataclass

from django.db import transaction

from saferoptions.access import policy
from saferoptions.analytics.figures import members
from saferoptions.analytics.suppression import round_count
from saferoptions.audit.services import record
from saferoptions.events.models import EventType
from saferoptions.governance import publish
from saferoptions.people.models import Person
from saferoptions.people.names import by_family_name

from . import exploitation, needs, places, safer_options, violence
from .figures import Figure, Shown, cell_value, csv_text, show, xlsx
from .figures import publish_threshold as threshold
from .filters import Filters


@dataclass(frozen=True)
class App:
    slug: str
    title: str
    summary: str
    build: object
    # The page's tabs: (id, title, figure keys). The figures come in the page's order.
    sections: tuple = ()


APPS = {
    "safer-options": App("safer-options", "Safer Options",
                         "Demand, open work and timescales, intervention capacity and waits, "
                         "outcomes, and disproportionality.",
                         safer_options.figures, (
                             ("concerns", "Concerns", ("concerns", "concerns_by_ward")),
                             ("decisions", "Decisions and referrals",
                              ("decisions", "referrals")),
                             ("work", "Timescales and capacity", ("timescales", "capacity")),
                             ("outcomes", "Outcomes", ("outcomes",)),
                             ("fairness", "Disproportionality",
                              ("by_sex", "by_ethnicity", "by_age", "by_locality")))),
    "violence-reduction": App("violence-reduction", "Violence Reduction",
                              "Knife incidents, ED assaults of under-25s, stop and search, "
                              "places and times, hot spots, the needs assessment.",
                              lambda f: [*violence.figures(f), needs.needs_assessment(f)], (
                                  ("incidents", "Incidents by week",
                                   ("knife", "ed_assaults", "ed_knife", "stop_search")),
                                  ("where", "Where and when",
                                   ("by_ward", "time_of_week", "places")),
                                  ("hot-spots", "Hot spots", ("hot_spots",)),
                                  ("needs", "Needs assessment", ("needs_assessment",)))),
    "exploitation": App("exploitation", "Exploitation",
                        "Missing episodes, return interviews, exploitation indicators, NRM, "
                        "groups and places under review.", exploitation.figures, (
                            ("missing", "Missing", ("missing", "missing_by_ward", "repeats")),
                            ("interviews", "Return home interviews", ("return_interviews",)),
                            ("indicators", "Exploitation and NRM", ("indicators", "nrm")),
                            ("review", "Under review", ("under_review",
                                                        "under_review_by_ward")))),
}


@dataclass
class Section:
    """One tab of a dashboard page: its figures, in the page's order."""

    id: str
    title: str
    figures: list


def sections(app: str, shown: list[Shown]) -> list[Section]:
    """The page's figures in its tabs; a figure no tab names goes in "Other figures", so a
    figure added to an app is never left off the page."""
    found = [Section(slug, title, [s for s in shown if s.figure.key in keys])
             for slug, title, keys in APPS[app].sections]
    named = {key for _, _, keys in APPS[app].sections for key in keys}
    rest = [s for s in shown if s.figure.key not in named]
    if rest:
        found.append(Section("other", "Other figures", rest))
    return [s for s in found if s.figures]


def exact_reader(user) -> bool:
    """Whether this reader sees the dashboards' counts exactly (suppressed) or rounded.

    The dashboards count every partner's events (knife incidents of any kind, indicators of
    any category, missing episodes), and the concerns, clocks and referrals raised from them,
    so exact only for a role that may open records and is granted every event's category from
    the agency that reported it (`policy.exact_counts`); the strategic lead and the analyst,
    who read aggregates only, never are.
    """
    return policy.exact_counts(user, event_types=EventType.values)


def _detail(app: str, filters: Filters, **more) -> dict:
    return {"app": app, "filters": filters.described(), **more}


def dashboard(*, user, app: str, filters: Filters) -> list[Shown]:
    """Every figure of one app, suppressed, or rounded for a reader of aggregates."""
    filters.counting = True  # nothing here is drilled into (sources.events)
    with transaction.atomic():
        exact = exact_reader(user)
        built = APPS[app].build(filters)
        places.name_rows(built, user=user, detail=_detail(app, filters))
        shown = [show(f, exact=exact) for f in built]
        record(actor=user, action="view", object_type="dashboard",
               detail=_detail(app, filters, rounded=not exact))
    return shown


# A CSV or drill-down builds only its own figure where the app can say how.
ONE_FIGURE = {
    "safer-options": safer_options.builders,
    "violence-reduction": lambda f: {**violence.builders(f),
                                     "needs_assessment": lambda: needs.needs_assessment(f)},
    "exploitation": exploitation.builders,
}


def _figure(app: str, key: str, filters: Filters) -> Figure | None:
    if app in ONE_FIGURE:
        build = ONE_FIGURE[app](filters).get(key)
        return build() if build else None
    return next((f for f in APPS[app].build(filters) if f.key == key), None)


def figure_csv(*, user, app: str, key: str, filters: Filters, kind: str = "csv"):
    """One figure's table as the page shows it to this reader, as CSV text or XLSX bytes
    (None: no such figure)."""
    with transaction.atomic():
        figure = _figure(app, key, filters)
        if figure is None:
            return None
        places.name_rows([figure], user=user, detail=_detail(app, filters, figure=key))
        write = xlsx if kind == "xlsx" else csv_text
        exact = exact_reader(user)
        content = write(show(figure, exact=exact), filters.described())
        record(actor=user, action="export", object_type="dashboard",
               detail=_detail(app, filters, figure=key, format=kind, rounded=not exact))
    return content


@dataclass
class DrillDown:
    figure: Figure
    row: str
    column: str
    value: object
    people: list
    withheld: object  # a suppressed count, or None where saying it is not allowed


def drilldown(*, user, app: str, key: str, row: str, column: str,
              filters: Filters) -> DrillDown | None:
    """The people behind one cell whom the user may list (None: no such figure or cell)."""
    with transaction.atomic():
        figure = _figure(app, key, filters)
        exact = exact_reader(user)
        value = (cell_value(figure, row, column, exact=exact)
                 if figure and figure.drillable else None)
        if value is None:
            return None
        ids = members(figure.frame, row="row", column="col", row_key=row, column_key=column)
        people = list(policy.restrict(user, "list", Person.objects.filter(pk__in=ids))
                      .order_by(*by_family_name()))
        # How many are withheld is said only where the figure itself is shown in full, and
        # then suppressed too (one withheld child is a small number), and rounded as the
        # cell is for a reader of aggregates (listed and withheld would add up to it).
        hidden = len(ids) - len(people)
        withheld = ((publish.count(hidden) if exact else round_count(hidden, threshold()))
                    if isinstance(value, int) else None)
        record(actor=user, action="list", object_type="person",
               object_ids=[p.pk for p in people],
               detail=_detail(app, filters, figure=key, cell=[row, column],
                              withheld_said=withheld is not None))
    return DrillDown(figure, row, column, value, people, withheld)
