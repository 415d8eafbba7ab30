"""The links and home-page counts each app offers, registered from its AppConfig.ready().

Every app lower or higher in the layers can register here (core is the lowest layer), so the
header and home page (`web.nav`) show what the apps offer without importing any of them.
Entries are shown by `order`, then in the order the apps registered them, which is the
INSTALLED_APPS order because Django calls each app's ready() in that order.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

# Practitioners who work with individual children and may look them up: a duty in the role
# table (ACCESS_ROLE_RULES).
WORK_WITH_CHILDREN = "work_with_children"

# Entries without an order come after the everyday pages that set one (see each app's nav.py).
LATER = 100


@dataclass(frozen=True)
class NavEntry:
    """One link: who sees it and what it is for.

    Who: `duty`, a duty name in the role table (the usual way: reach lives in that one table),
    or `roles`, a set of roles (e.g. the union of two duties' roles); neither: every signed-in
    user. `web.nav` reads the duty's roles per request (`core.duties.holders`).
    """

    label: str
    url_name: str
    description: str
    roles: frozenset | None = None
    duty: str | None = None
    staff_only: bool = False
    header: bool = True  # False: on the home page only, to keep the header short
    order: int = LATER  # lower first; ties keep the order they were registered in
    # Words for one reader instead of `description`, when part of it applies to some only
    # (e.g. the team around a child, to those who work with children).
    describe: Callable | None = None
    # The link's words for one reader instead of `label`, when it offers some readers less
    # (e.g. "Refer a place" to those who may refer places only).
    name: Callable | None = None
    # Whether this reader is offered it beyond their role (e.g. their agency sends a feed the
    # page can record): the page answers 404 to the others, so the link is not shown them.
    offered: Callable | None = None

    def description_for(self, user) -> str:
        return self.describe(user) if self.describe else self.description

    def label_for(self, user) -> str:
        return self.name(user) if self.name else self.label

    def __post_init__(self):
        if self.roles is not None and self.duty is not None:
            raise ValueError(f"{self.url_name}: give the entry a duty or roles, not both")

    def url(self) -> str | None:
        """The link, or None while the page is not built (an entry shows up once it lands)."""
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


@dataclass(frozen=True)
class WorkCount:
    """One count of the user's work on their home page, e.g. "3 clocks due soon or overdue"."""

    count: int
    label: str  # plural words after the number
    url_name: str
    urgent: bool = False  # shown as a red tag (something is overdue)
    singular: str = ""  # the words after "1", when they differ

    @property
    def words(self) -> str:
        return self.singular if self.count == 1 and self.singular else self.label


# A function giving the counts of the work this user may see (through the access policy).
CountsFor = Callable[[object], list[WorkCount]]

_entries: list[NavEntry] = []
_counts: list[CountsFor] = []


def register(*, entries: Iterable[NavEntry] = (), counts: Iterable[CountsFor] = ()) -> None:
    """Offer links and home-page counts; registering the same one twice keeps one."""
    _entries.extend(entry for entry in entries if entry not in _entries)
    _counts.extend(count for count in counts if count not in _counts)


def unregister(*, entries: Iterable[NavEntry] = (), counts: Iterable[CountsFor] = ()) -> None:
    """Take links and counts back out (tests that register their own use this to tidy up)."""
    for entry in entries:
        if entry in _entries:
            _entries.remove(entry)
    for count in counts:
        if count in _counts:
            _counts.remove(count)


def entries() -> list[NavEntry]:
    """Every registered link, in the order they are shown."""
    return sorted(_entries, key=lambda entry: entry.order)  # a stable sort keeps ties in order


def counts() -> list[CountsFor]:
    """Every registered count function, in the order the apps registered them."""
    return list(_counts)
