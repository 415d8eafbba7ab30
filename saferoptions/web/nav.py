"""What each role can reach from the header and its home page.

The apps register their links and home-page counts in `saferoptions.core.navigation` from their
AppConfig.ready(); this module only picks what one user may see. An entry appears only once its
URL name exists, so pages other areas are still building show up by themselves when they land.
"""

from django.urls import NoReverseMatch, resolve, reverse

from saferoptions.core import navigation
from saferoptions.core.duties import holders
from saferoptions.core.navigation import NavEntry

# The project's own pages (saferoptions/urls.py), registered from WebConfig.ready().
NAV_ENTRIES = [
    NavEntry("Administration", "admin:index",
             "Localities, wards, agencies, teams and other reference data.",
             duty="administer_reference_data", staff_only=True, order=70),
    NavEntry("API documentation", "api-docs", "The partner API and its schema.",
             duty="read_api_docs", header=False, order=95),
]


def _shown_to(entry: NavEntry, user, url: str) -> bool:
    if entry.staff_only and not user.is_staff:
        return False
    if entry.roles is not None and user.role not in entry.roles:
        return False
    # The role table's duty (tests/access/test_role_reach.py checks every entry's duty is a
    # known one, so a misspelt duty cannot quietly hide a link).
    if entry.duty is not None and user.role not in holders(entry.duty):
        return False
    if entry.offered is not None and not entry.offered(user):
        return False
    # A route limited to some roles is never offered to others (they would get a 404).
    view = resolve(url).func
    return getattr(view, "access_rule", None) != "roles" or user.role in view.access_roles


def work_counts(user) -> list[dict]:
    """The counts every app registered for this user, with their links.

    Each function returns `WorkCount`s for the work the user may see (through the access
    policy); a count whose page this user cannot open is left out.
    """
    if not (user and user.is_authenticated):
        return []
    shown = []
    for count_for in navigation.counts():
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
    for entry in navigation.entries():
        url = entry.url()
        if url and _shown_to(entry, user, url):
            shown.append({"label": entry.label_for(user), "url": url,
                          "description": entry.description_for(user),
                          "url_name": entry.url_name, "header": entry.header})
    return shown
