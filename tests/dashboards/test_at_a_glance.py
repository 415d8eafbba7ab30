"""The headline figures first: each dashboard page opens on every figure's totals (as its
table shows them, suppressed), and each figure in full sits under a GOV.UK tab. The
strategic lead's page was about 7,800 px of charts and tables before the first total she
needed could be compared with the next (seen on the tour)."""

import re

import pytest

from saferoptions.core.models import Role
from saferoptions.dashboards import pages
from saferoptions.dashboards.figures import show
from saferoptions.dashboards.filters import parse

pytestmark = pytest.mark.django_db
APPS = ("safer-options", "violence-reduction", "exploitation")


@pytest.mark.parametrize("app", APPS)
def test_every_figure_is_at_a_glance_first_and_in_full_under_one_tab(client, city, app):
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    page = client.get(f"/dashboard/{app}/").content.decode()
    glance, tabs = page.split('data-module="govuk-tabs"', 1)
    assert "At a glance" in glance and 'id="figure-' not in glance
    filters = parse({})
    filters.counting = True
    for figure in pages.APPS[app].build(filters):
        assert figure.title in glance  # headline row, linked to its tab
        assert tabs.count(f'id="figure-{figure.key}"') == 1  # shown in full, once
        assert f"{figure.title}: table</caption>" in tabs  # each table keeps its caption
    panels = re.findall(r'class="govuk-tabs__panel[^"]*" id="([^"]+)"', tabs)
    links = re.findall(r'class="govuk-tabs__tab" href="#([^"]+)"', tabs)
    assert panels == links and len(panels) == len(set(panels)) > 1


def test_a_headline_is_the_tables_own_suppressed_total(city):
    filters = parse({})
    filters.counting = True
    for figure in pages.APPS["exploitation"].build(filters):
        shown = show(figure, exact=True)
        if figure.row_totals:
            assert shown.headline == [("Total", shown.grand_total)]
        else:
            assert shown.headline == list(zip(figure.columns, shown.column_totals, strict=True))


def test_a_figure_no_tab_names_is_still_on_the_page(city, monkeypatch):
    app = pages.APPS["exploitation"]
    monkeypatch.setitem(pages.APPS, "exploitation", pages.App(
        app.slug, app.title, app.summary, app.build, app.sections[:1]))
    filters = parse({})
    filters.counting = True
    shown = [show(f, exact=False) for f in app.build(filters)]
    found = pages.sections("exploitation", shown)
    assert found[-1].title == "Other figures"
    assert sum(len(s.figures) for s in found) == len(shown)
