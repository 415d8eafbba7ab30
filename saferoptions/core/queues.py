"""Working a queue: its sort, filters and page read from the query string, so a view of a
queue can be bookmarked and shared. A value the queue does not know is never an error page:
the queue falls back to its default for that part and says so, naming the part and why.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator

from .numbers import whole_number

PAGE_SIZE = 50
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Filter:
    """One filter of a queue: its query name, its label, its choices (value, label)."""

    name: str
    label: str
    choices: tuple = ()
    many: bool = False  # checkboxes (any of several) rather than one choice
    any_label: str = "Any"

    def label_of(self, value: str) -> str:
        return dict(self.choices).get(value, value)


@dataclass
class QueueQuery:
    """What the reader asked the queue for, after checking it."""

    sort: str
    sorts: tuple
    specs: tuple
    chosen: dict = field(default_factory=dict)  # filter name -> tuple of values
    page: int = 1
    keep: dict = field(default_factory=dict)  # other parameters the page carries (a tab)
    # The page's name in the address: a page with two lists pages each under its own name.
    page_param: str = "page"
    problems: list = field(default_factory=list)  # (param, message): malformed input
    notes: list = field(default_factory=list)  # fallbacks in ordinary use (a page gone)

    def value(self, name: str) -> str:
        values = self.chosen.get(name, ())
        return values[0] if values else ""

    def values(self, name: str) -> tuple:
        return self.chosen.get(name, ())

    def params(self, **changes) -> list:
        """The query as (name, value) pairs, with `changes` applied (None removes)."""
        # A list with one order has nothing to choose: its links leave the sort out, so two
        # lists on a page never disagree about it.
        sort = {"sort": (self.sort,)} if len(self.sorts) > 1 else {}
        state = {**sort, **self.keep, **self.chosen}
        for name, value in changes.items():
            state[name] = () if value is None else (
                value if isinstance(value, tuple) else (str(value),))
        if self.page_param not in changes:
            state.pop(self.page_param, None)
        return [(name, v) for name, values in state.items() for v in values if v != ""]

    def link(self, **changes) -> str:
        return "?" + urlencode(self.params(**changes))

    def page_link(self, number: int) -> str:
        return self.link(**{self.page_param: number})

    @property
    def selected(self) -> list:
        """Filters in force, each with a link that removes it (the MOJ "selected filters")."""
        shown = []
        for spec in self.specs:
            for value in self.values(spec.name):
                rest = tuple(v for v in self.values(spec.name) if v != value)
                shown.append({"filter": spec.label, "label": spec.label_of(value),
                              "remove": self.link(**{spec.name: rest or None})})
        return shown

    @property
    def clear_link(self) -> str:
        return self.link(**{spec.name: None for spec in self.specs})

    @property
    def fields(self) -> list:
        """Each filter with its options marked chosen or not, for the filter panel."""
        return [{"spec": spec, "options": [(value, label, value in self.values(spec.name))
                                           for value, label in spec.choices]}
                for spec in self.specs]

    @property
    def sort_label(self) -> str:
        return dict(self.sorts).get(self.sort, "")

    @property
    def hidden(self) -> list:
        """Parameters the filter form must carry along (the tab), as (name, value) pairs."""
        return [(name, v) for name, values in self.keep.items() for v in values]


def read_query(params, *, sorts: Sequence, filters: Sequence[Filter] = (),
               keep: Sequence[str] = (), page_param: str = "page") -> QueueQuery:
    """Check the query string against the queue's sorts and filters (the first sort is the
    default); anything unknown falls back, with a message naming the part and why."""
    query = QueueQuery(sort=sorts[0][0], sorts=tuple(sorts), specs=tuple(filters),
                       keep={name: tuple(params.getlist(name))[:1] for name in keep
                             if params.get(name)}, page_param=page_param)
    _read_sort(query, params.get("sort"))
    for spec in filters:
        _read_filter(query, spec, params.getlist(spec.name))
    query.page = _read_page(query, params.get(page_param))
    return query


def _read_sort(query: QueueQuery, asked) -> None:
    if asked in (None, ""):
        return
    if asked in dict(query.sorts):
        query.sort = asked
    else:
        query.problems.append(("sort", f"Sort by: this list cannot be sorted by '{asked[:40]}'; "
                                       f"it is sorted by {query.sort_label.lower()} instead."))


def _read_filter(query: QueueQuery, spec: Filter, asked: list) -> None:
    allowed = {value for value, _ in spec.choices}
    asked = [v for v in asked if v != ""]
    good = tuple(dict.fromkeys(v for v in asked if v in allowed))
    for bad in (v for v in asked if v not in allowed):
        query.problems.append((spec.name, f"{spec.label}: '{bad[:40]}' is not one of the "
                                          f"choices, so it is not applied."))
    if not spec.many and len(good) > 1:
        query.problems.append((spec.name, f"{spec.label}: choose one only; the first is "
                                          f"applied."))
        good = good[:1]
    if good:
        query.chosen[spec.name] = good


def _read_page(query: QueueQuery, asked) -> int:
    if asked in (None, ""):
        return 1
    number = whole_number(asked, most=MAX_PAGE)
    if not number:
        query.problems.append((query.page_param, f"Page: '{asked[:20]}' is not a page "
                                                 f"number; showing the first page."))
        return 1
    return number


@dataclass
class Paged:
    """One page of a queue and the links the GOV.UK pagination needs."""

    found: object  # a Django Page
    query: QueueQuery

    @property
    def rows(self) -> list:
        return list(self.found.object_list)

    @property
    def total(self) -> int:
        return self.found.paginator.count

    @property
    def many_pages(self) -> bool:
        return self.found.paginator.num_pages > 1

    @property
    def previous(self) -> str:
        return self.query.page_link(self.found.number - 1) if self.found.has_previous() else ""

    @property
    def next(self) -> str:
        return self.query.page_link(self.found.number + 1) if self.found.has_next() else ""

    @property
    def numbers(self) -> list:
        """First, last and the current page's neighbours; None where pages are skipped."""
        last, here = self.found.paginator.num_pages, self.found.number
        wanted = sorted({1, last, here - 1, here, here + 1} & set(range(1, last + 1)))
        shown, before = [], 0
        for number in wanted:
            if number - before > 1:
                shown.append(None)
            shown.append({"number": number, "link": self.query.page_link(number),
                          "current": number == here})
            before = number
        return shown


def page_of(query: QueueQuery, rows, *, size: int = PAGE_SIZE, what: str = "items") -> Paged:
    """One page of `rows` (a queryset or a list); past the end, the last page, and a note."""
    paginator = Paginator(rows, size, allow_empty_first_page=True)
    number = query.page
    if number > paginator.num_pages:
        query.notes.append(f"There is no page {number} of these {what} now; showing page "
                           f"{paginator.num_pages}, the last.")
        number = paginator.num_pages
    return Paged(paginator.page(number), query)
