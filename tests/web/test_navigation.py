"""The header and home page show what the apps register in `core.navigation`; web imports none."""

import ast
from pathlib import Path

import pytest
from django.test import Client

import saferoptions
from saferoptions.core import navigation
from saferoptions.core.models import Role
from saferoptions.core.navigation import NavEntry, WorkCount
from saferoptions.web import nav
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
WEB_NAV = Path(saferoptions.__file__).parent / "web" / "nav.py"


@pytest.fixture
def registered():
    """Register entries and counts for one test, and take them out again afterwards."""
    added = {"entries": [], "counts": []}

    def register(*, entries=(), counts=()):
        added["entries"] += entries
        added["counts"] += counts
        navigation.register(entries=entries, counts=counts)

    yield register
    navigation.unregister(**added)


def _page(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def test_an_app_that_registers_an_entry_shows_it_to_the_roles_named(registered):
    registered(entries=[NavEntry("Somewhere new", "web:home", "A page an app added.",
                                 frozenset({Role.ANALYST}))])
    analyst, worker = UserFactory(role=Role.ANALYST), UserFactory(role=Role.SOCIAL_WORKER)
    assert "Somewhere new" in {link["label"] for link in nav.entries_for(analyst)}
    assert "Somewhere new" in _page(analyst)
    assert "Somewhere new" not in _page(worker)


def test_an_app_that_registers_a_count_shows_it_on_the_home_page(registered):
    registered(counts=[lambda user: [WorkCount(1, "things", "web:home", singular="thing to do")]])
    assert "1 thing to do" in _page(UserFactory(role=Role.SOCIAL_WORKER))


def test_registering_the_same_entry_twice_shows_it_once(registered):
    entry = NavEntry("Twice", "web:home", "Registered by two ready() calls.")
    registered(entries=[entry, entry])
    navigation.register(entries=[entry])
    assert [e.label for e in navigation.entries()].count("Twice") == 1


def test_the_everyday_pages_lead_the_header_in_their_usual_order():
    first = [entry.url_name for entry in navigation.entries()[:9]]
    # The DPO's audit verification sits by the audit search, the subject access request by
    # the retention review: the data protection officer's month (journey 7) in its order.
    assert first == ["people:search", "tasks:inbox", "audit:search",
                     "governance:audit-verification", "access:break-glass-queue",
                     "governance:subject-access-search", "governance:review", "feeds:status",
                     "admin:index"]


def test_the_other_entries_follow_in_the_order_of_installed_apps():
    later = [entry.url_name.split(":")[0] for entry in navigation.entries()
             if entry.order == navigation.LATER]
    # Each app's ready() runs in INSTALLED_APPS order; accounts also registers the sharing
    # agreements' page (access:agreements) next to its own.
    assert list(dict.fromkeys(later)) == [
        "contexts", "accounts", "access", "cases", "linkage", "meetings", "interventions",
        "intelligence", "dashboards"]


def test_web_nav_imports_no_app_and_discovers_nothing():
    tree = ast.parse(WEB_NAV.read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert all(name.startswith(("django.", "saferoptions.core")) for name in imported), imported
    assert "import_module" not in WEB_NAV.read_text() and "importlib" not in imported
