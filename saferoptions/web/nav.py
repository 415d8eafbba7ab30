"""What each role can reach from the header and its home page.

An entry appears only once its URL name exists, so pages other areas are still building show
up by themselves when they land. An app may add entries by defining `NAV_ENTRIES` (a list of
`NavEntry`) in its own `nav.py`.
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, resolve, reverse

from saferoptions.core.models import Role

R = Role
# Practitioners who work with individual children and may look them up.
CHILD_WORKERS = frozenset({
    R.HUB_PRACTITIONER, R.SOCIAL_WORKER, R.EARLY_HELP_WORKER, R.LEAD_WORKER,
    R.CLINICAL_PSYCHOLOGIST, R.POLICE_OFFICER, R.EDUCATION_INCLUSION_MANAGER,
    R.HEALTH_PRACTITIONER, R.HOUSING_OFFICER, R.LOCALITY_CHAIR, R.TEAM_MANAGER,
})


@dataclass(frozen=True)
class NavEntry:
    """One link: who sees it (None: every signed-in user) and what it is for."""

    label: str
    url_name: str
    description: str
    roles: frozenset | None = None
    staff_only: bool = False
    header: bool = True

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None

    def shown_to(self, user, url: str) -> bool:
        if self.staff_only and not user.is_staff:
            return False
        if self.roles is not None and user.role not in self.roles:
            return False
        # A route limited to some roles is never offered to others (they would get a 404).
        view = resolve(url).func
        return getattr(view, "access_rule", None) != "roles" or user.role in view.access_roles


ENTRIES = [
    NavEntry("Find a child", "people:search",
             "Search for a child or young person known to the partnership.", CHILD_WORKERS),
    NavEntry("My tasks", "tasks:inbox", "Your tasks and their deadlines.", CHILD_WORKERS),
    NavEntry("Audit search", "audit:search",
             "Search who looked at or changed which records, and why.",
             frozenset({R.DATA_PROTECTION_OFFICER})),
    NavEntry("Break-glass reviews", "access:break-glass-queue",
             "Review emergency access to records.",
             frozenset({R.DATA_PROTECTION_OFFICER, R.TEAM_MANAGER})),
    NavEntry("Retention review", "governance:review",
             "Records due for review or disposal, and legal holds.",
             frozenset({R.DATA_PROTECTION_OFFICER})),
    NavEntry("Data feeds", "feeds:status", "What each agency's feed has sent, and when."),
    NavEntry("Administration", "admin:index",
             "Localities, wards, agencies, teams and other reference data.",
             frozenset({R.SYSTEM_ADMINISTRATOR}), staff_only=True),
    # Below: on the home page only, to keep the header short.
    NavEntry("Send a file from your agency", "feeds:import",
             "Upload your agency's records as a file.", header=False),
    NavEntry("Records waiting for correction", "feeds:quarantine",
             "Rows from agency files that could not be read.", header=False),
    NavEntry("File formats", "feeds:schemas",
             "What each agency's file must contain.", header=False),
    NavEntry("Partner systems", "feeds:partners",
             "Issue, rotate and revoke the tokens partner systems send feeds with.",
             header=False),
    NavEntry("Open a record in an emergency", "access:break-glass",
             "Break-glass access when a child may be at risk now.", CHILD_WORKERS,
             header=False),
    NavEntry("Task rules", "tasks:rules", "The timescales that create tasks.",
             frozenset({R.HUB_PRACTITIONER, R.TEAM_MANAGER, R.SYSTEM_ADMINISTRATOR}),
             header=False),
    NavEntry("API documentation", "api-docs", "The partner API and its schema.",
             frozenset({R.SYSTEM_ADMINISTRATOR, R.ANALYST}), header=False),
]


@cache
def _from_apps(name: str) -> tuple:
    """What each app's `nav.py` lists under `name` (NAV_ENTRIES, HOME_COUNTS)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("saferoptions."):
            continue
        try:
            module = import_module(f"{config.name}.nav")
        except ModuleNotFoundError:
            continue
        found.extend(getattr(module, name, []))
    return tuple(found)


def _app_entries() -> tuple[NavEntry, ...]:
    return _from_apps("NAV_ENTRIES")


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


def work_counts(user) -> list[dict]:
    """The counts every app's `HOME_COUNTS` functions give for this user, with their links.

    Each function returns `WorkCount`s for the work the user may see (through the access
    policy); a count whose page this user cannot open is left out.
    """
    if not (user and user.is_authenticated):
        return []
    shown = []
    for count_for in _from_apps("HOME_COUNTS"):
        for item in count_for(user):
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            shown.append({"count": item.count, "label": item.words, "url": url,
                          "urgent": item.urgent})
    return shown


def entries_for(user) -> list[dict]:
    """The links this user may follow, each with its resolved URL."""
    if not (user and user.is_authenticated):
        return []
    shown = []
    for entry in [*ENTRIES, *_app_entries()]:
        url = entry.url()
        if url and entry.shown_to(user, url):
            shown.append({"label": entry.label, "url": url, "description": entry.description,
                          "url_name": entry.url_name, "header": entry.header})
    return shown
