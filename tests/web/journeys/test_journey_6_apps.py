"""Journey 6: the strategic lead's Monday, in the browser.

She opens each app's first view for one locality and the last four weeks. Every figure's
table, as the browser shows it, must equal the rounded form of an independent count of
the same records (`tests/dashboards/expected.py`: plain ORM and Python, no Polars): she
reads aggregates only, so every count is rounded to the nearest 5 (dashboards.figures.show).
Nothing on the screen names a child.

The partnership is the dashboard tests' (`tests/dashboards/conftest.py`), built around
2 September 2026; the live server runs in another thread, where a frozen clock does not
reach, so both threads run on a clock shifted to half an hour before that moment.
"""

import datetime as dt

import pytest
from selenium.webdriver.common.by import By

from saferoptions.analytics.suppression import round_table
from saferoptions.core import clock
from saferoptions.core.models import Role
from saferoptions.dashboards.filters import parse
from tests.dashboards import expected as ex
from tests.dashboards.conftest import (
    NOW,
    city,  # noqa: F401 (fixture)
)

from .conftest import JOURNEY_MARKS

pytestmark = JOURNEY_MARKS
APPS = ("safer-options", "violence-reduction", "exploitation")


@pytest.fixture(autouse=True)
def half_an_hour_before_now(monkeypatch):
    """The city's records are at whole hours, so no record falls between the page's 'now'
    and the test's a few seconds later."""
    moment = NOW - dt.timedelta(minutes=30)
    monkeypatch.setattr(clock, "_offset", moment - clock._real_now())


def _open_tab_of(driver, key: str) -> None:
    """Open the tab that holds the figure, as she does: the page opens on the headline
    figures, each figure in full under one tab (the others' panels are hidden)."""
    panel = driver.find_element(By.ID, f"figure-{key}").find_element(
        By.XPATH, "ancestor::div[contains(@class, 'govuk-tabs__panel')]")
    driver.find_element(
        By.CSS_SELECTOR, f".govuk-tabs__tab[href='#{panel.get_attribute('id')}']").click()


def _shown(driver, key: str, columns: int) -> list[list[str]]:
    """The figure's counted cells as the browser shows them, row by row (not its plain
    columns, totals or rates)."""
    _open_tab_of(driver, key)
    rows = driver.find_elements(
        By.CSS_SELECTOR, f"#figure-{key} table tbody tr:not(.app-dashboard-table__totals)")
    shown = [[cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td[data-cell]")]
             for row in rows]
    assert all(len(row) == columns for row in shown), key
    return shown


@pytest.mark.parametrize("app", APPS)
def test_every_figure_of_the_first_view_equals_an_independent_count(person_at, city, app):  # noqa: F811
    lead = person_at(city.users[Role.STRATEGIC_LEAD])
    query = {"locality": city.here.slug, "period": "4w"}
    lead.go(f"/dashboard/{app}/?locality={city.here.slug}&period=4w")
    page = lead.text()
    expected = ex.first_view(app, city.here, parse(query))
    counted = 0
    for key, counts in expected.items():
        rounded = round_table(counts).cells
        assert _shown(lead.driver, key, len(counts[0])) == \
            [[str(value) for value in row] for row in rounded], key
        counted += sum(map(sum, counts))
    assert counted > 0, "the city is not empty"
    for child in city.children:  # nothing on her screen names a child
        assert f"{child.given_name} {child.family_name}" not in page
