"""Every figure of each app's first view (one locality, one period) against an independent
count, and the page shows exactly the suppressed form of that count."""

import collections
import re

import pytest

from saferoptions.analytics.suppression import round_table
from saferoptions.cases.models import Concern
from saferoptions.core.models import Role
from saferoptions.dashboards.filters import parse
from saferoptions.interventions.models import CapacityMonth, ProgrammeArea

from . import expected as ex

pytestmark = pytest.mark.django_db


def _first_view(client, city, app):
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    response = client.get(f"/dashboard/{app}/", {"locality": city.here.slug, "period": "4w"})
    assert response.status_code == 200
    filters = parse({"locality": city.here.slug, "period": "4w"})
    return {s.figure.key: s for s in response.context["figures"]}, filters, response


def _check(shown, counts):
    """The figure counted what the independent count says, and shows it to the strategic lead
    rounded (a reader of aggregates: figures.show)."""
    assert shown.figure.counts == counts
    assert shown.cells == round_table(counts).cells
    assert shown.column_totals == round_table(counts).column_totals


def test_safer_options_first_view(client, city):
    figures, f, response = _first_view(client, city, "safer-options")
    for key, counts in ex.first_view("safer-options", city.here, f).items():
        _check(figures[key], counts)
    assert sum(map(sum, figures["concerns"].figure.counts)) > 5  # the city is not empty
    assert b"Concerns raised" in response.content


def test_a_concern_withdrawn_as_raised_in_error_is_not_counted_as_demand(client, city):
    before, f, _ = _first_view(client, city, "safer-options")
    raised = Concern.objects.filter(locality=city.here, raised_at__gte=f.start,
                                    raised_at__lt=f.end, outcome="").first()
    Concern.objects.filter(pk=raised.pk).update(withdrawn_at=raised.raised_at,
                                                withdrawn_reason="Wrong child")
    after, _, _ = _first_view(client, city, "safer-options")
    total = sum(map(sum, before["concerns"].figure.counts))
    assert sum(map(sum, after["concerns"].figure.counts)) == total - 1
    _check(after["concerns"], ex.concerns_weekly(city.here, f))


def test_violence_reduction_first_view(client, city):
    figures, f, response = _first_view(client, city, "violence-reduction")
    # The strategic lead read "Assault attendances (ISTV)": a data set's initials, not words.
    assert b"ISTV" not in response.content
    assert b"Attendances at the emergency department after an assault" in response.content
    for key, counts in ex.first_view("violence-reduction", city.here, f).items():
        _check(figures[key], counts)
    knives = ex.events(city.here, f, ex.is_knife)
    ed = ex.events(city.here, f, ex.is_ed_under_25)
    searches = ex.events(city.here, f, ex.of_type("stop_search"))
    by_place = collections.Counter()
    for kind, rows in (("knife", knives), ("ed", ed), ("search", searches)):
        for e, _ in rows:
            if e.place_id:
                by_place[(e.place_id, kind)] += 1
    places = figures["places"].figure
    assert places.counts == [[by_place[(int(k), c)] for c in ("knife", "ed", "search")]
                             for k in places.row_keys]
    assert sum(map(sum, figures["knife"].figure.counts)) > 0
    # Journey 6 reads "knife-related ED attendances of under-25s": counted apart from all
    # assaults (above, against the independent count), fewer, and not none in the city.
    assert b"Knife-related emergency department assault attendances" in response.content
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    there = {"locality": city.there.slug, "period": "4w"}
    shown = {s.figure.key: s for s in client.get(
        "/dashboard/violence-reduction/", there).context["figures"]}
    counts = ex.first_view("violence-reduction", city.there, parse(there))
    _check(shown["ed_knife"], counts["ed_knife"])
    assert 0 < sum(map(sum, counts["ed_knife"])) < sum(map(sum, counts["ed_assaults"]))


def test_exploitation_first_view(client, city):
    figures, f, _ = _first_view(client, city, "exploitation")
    for key, counts in ex.first_view("exploitation", city.here, f).items():
        _check(figures[key], counts)
    assert sum(map(sum, figures["missing"].figure.counts)) > 0


def test_capacity_lists_each_areas_places_before_any_referral_this_month(client, city):
    CapacityMonth.objects.all().delete()  # a new month: no place taken yet anywhere
    area = ProgrammeArea.objects.filter(monthly_places__gt=0, locality=None).first()
    assert area is not None, "the catalogue is seeded"
    figures, _, _ = _first_view(client, city, "safer-options")
    shown = figures["capacity"].figure
    assert "No programme has places this month" not in shown.rows
    row = shown.rows.index(f"{area.programme.name} – whole city")
    places = dict(shown.plain_columns)["Places this month"]
    assert places[row] == area.monthly_places and shown.counts[row][0] == 0  # none taken


def test_each_figure_table_can_be_scrolled_from_the_keyboard(client, city):
    """A table wider than the screen scrolls sideways: a keyboard user must reach it by Tab, and
    a screen reader names the region (axe 'scrollable-region-focusable' on the demo's
    dashboard, seen for the analyst and the strategic lead)."""
    _, _, response = _first_view(client, city, "safer-options")
    wrappers = re.findall(rb'<div class="app-dashboard-table"[^>]*>', response.content)
    assert wrappers
    for tag in wrappers:
        assert b'tabindex="0"' in tag and b'role="region"' in tag
        assert re.search(rb'aria-label="[^"]+: table"', tag)
