"""The Safer Options app's referrals, outcomes and disproportionality figures against
independent counts; rates and indexes worked by hand from the shown counts only; suppression
on page, chart and CSV; and no rates without a configured child population."""

import csv
import io
import json

import pytest

from saferoptions.analytics.suppression import round_table
from saferoptions.cases.models import Concern
from saferoptions.core import clock
from saferoptions.core.models import Locality, Role
from saferoptions.dashboards.filters import parse
from saferoptions.people.models import BROAD_ETHNIC_GROUPS

from . import expected as ex

pytestmark = pytest.mark.django_db
QUERY = {"period": "4w"}


def _view(client, city, settings, population=None, **query):
    if population is not None:
        settings.DASHBOARDS_CHILD_POPULATION_FILE.write_text(json.dumps(population))
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    q = {**QUERY, "locality": city.here.slug, **query}
    response = client.get("/dashboard/safer-options/", q)
    assert response.status_code == 200
    return {s.figure.key: s for s in response.context["figures"]}, parse(q), response


def _check(shown, counts):
    assert shown.figure.counts == counts
    table = round_table(counts)  # the strategic lead reads aggregates: rounded
    assert (shown.cells, shown.column_totals) == (table.cells, table.column_totals)


def population(city) -> dict:
    """A made-up population: 10 children per cell, 40 in the other locality's."""
    cells = []
    for loc in Locality.objects.all():
        for sex in "FMU":
            for group in BROAD_ETHNIC_GROUPS:
                for age in ("0-9", "10-13", "14-15", "16-17"):
                    cells.append([loc.slug, sex, group, age, 10 if loc == city.here else 40])
    return {"source": "test", "as_of": "2026-06-30", "children": cells}


def test_referrals_and_outcomes_equal_independent_counts(client, city, settings):
    figures, f, _ = _view(client, city, settings)
    _check(figures["referrals"], ex.referrals_weekly(city.here, f))
    _check(figures["outcomes"], ex.outcomes(city.here, f))
    assert sum(figures["outcomes"].figure.counts[0]) > 0
    assert figures["outcomes"].figure.counts[0][3] > 0  # some exclusions avoided


def test_disproportionality_counts_equal_independent_counts(client, city, settings):
    figures, f, _ = _view(client, city, settings, population(city))
    items = ex.child_items(city.here, f)
    assert len(items) > 20
    _check(figures["by_sex"], ex.by_group(items, lambda p, a: p.sex if p else "U", "FMU"))
    _check(figures["by_ethnicity"], ex.by_group(items, lambda p, a: ex.ethnic_group(p),
                                                list(BROAD_ETHNIC_GROUPS)))
    _check(figures["by_age"], ex.by_group(items, lambda p, a: ex.band(a),
                                          ["0-9", "10-13", "14-15", "16-17"]))
    _check(figures["by_locality"], ex.by_group(items, lambda p, a: "here", ["here"]))
    # The ethnic groups are the most recently recorded: some children's changed to Black.
    assert sum(figures["by_ethnicity"].figure.counts[1]) > 0


def test_rates_and_indexes_are_worked_from_shown_counts_only(client, city, settings):
    figures, _, response = _view(client, city, settings, population(city))
    shown = figures["by_sex"]
    assert shown.figure.populations == [240, 240, 240]  # 6 groups x 4 bands x 10, here
    assert shown.figure.whole_population == 720
    rates = shown.rates
    for i, row in enumerate(shown.cells):
        for j, value in enumerate(row):
            total = shown.column_totals[j]
            if isinstance(value, int):
                assert rates["rates"][i][j] == round(1000 * value / 240, 1)
                if isinstance(total, int) and total:
                    assert rates["indexes"][i][j] == round((value / 240) / (total / 720), 2)
                else:
                    assert rates["indexes"][i][j] == "not shown"
            else:  # a suppressed count has no rate, so the rate cannot reveal it
                assert rates["rates"][i][j] == "not shown"
                assert rates["indexes"][i][j] == "not shown"
    assert any(not isinstance(v, int) for row in shown.cells for v in row)  # suppression ran
    assert b"per 1,000 (index)" in response.content
    assert b"Child population: test, 2026-06-30." in response.content


def test_the_csv_carries_the_same_suppressed_counts_and_rates(client, city, settings):
    figures, _, _ = _view(client, city, settings, population(city))
    for key in ("by_sex", "by_ethnicity", "by_age", "by_locality", "referrals", "outcomes"):
        shown = figures[key]
        response = client.get(f"/dashboard/safer-options/{key}.csv",
                              {**QUERY, "locality": city.here.slug})
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        body = rows[3:3 + len(shown.figure.rows)]
        width = len(shown.figure.columns)
        start = 1 + len(shown.figure.plain_columns)
        assert [r[start:start + width] for r in body] == [
            [str(v) for v in row] for row in shown.cells], key
        if shown.rate_rows:
            assert [r[start + width + 1:] for r in body] == [
                [str(v) for v in row] for row in shown.rate_rows[:-1]]


def test_the_chart_draws_no_bar_for_a_rate_not_shown(client, city, settings):
    figures, _, _ = _view(client, city, settings, population(city))
    for key in ("by_sex", "by_ethnicity", "by_age"):
        shown = figures[key]
        for bar, row in zip(shown.svg()["bars"], shown.cells, strict=True):
            assert bar["suppressed"] == (not isinstance(row[0], int)), key
            assert bar["height"] == 0 or isinstance(row[0], int)


def test_without_a_population_file_counts_show_and_the_page_says_why(client, city, settings):
    figures, _, response = _view(client, city, settings)
    assert figures["by_sex"].rates is None
    assert b"No child population is configured" in response.content


@pytest.mark.parametrize("content", ["not json", json.dumps({"children": [["x", "F"]]}),
                                     json.dumps({"children": [["n", "F", "white", "0-9", -1]]})])
def test_a_bad_population_file_never_fails_the_page(client, city, settings, content):
    settings.DASHBOARDS_CHILD_POPULATION_FILE.write_text(content)
    figures, _, response = _view(client, city, settings)
    assert figures["by_sex"].rates is None
    assert b"no rates are shown" in response.content


def test_a_ward_filter_shows_no_rates_and_says_why(client, city, settings):
    ward = city.here.wards.first()
    figures, _, response = _view(client, city, settings, population(city), ward=ward.code)
    assert figures["by_sex"].rates is None
    assert b"configured by locality, not ward" in response.content


def test_an_age_band_narrows_the_population_too(client, city, settings):
    figures, _, _ = _view(client, city, settings, population(city), age="14-15")
    assert figures["by_sex"].figure.populations == [60, 60, 60]


def test_the_ward_map_shows_the_suppressed_counts_and_fetches_nothing_by_default(
        client, city, settings):
    figures, f, response = _view(client, city, settings)
    shown = figures["concerns_by_ward"]
    wards = list(city.here.wards.order_by("name"))
    counts = [[Concern.objects.filter(
        locality=city.here, raised_at__gte=f.start, raised_at__lt=f.end,
        place__ward=ward).count() + Concern.objects.filter(
        locality=city.here, raised_at__gte=f.start, raised_at__lt=f.end, place__isnull=True,
        event__place__ward=ward).count()] for ward in wards]
    _check(shown, counts)
    shapes = {s["code"]: s for s in shown.ward_map()["shapes"]}
    for ward, row in zip(wards, shown.cells, strict=True):
        assert shapes[ward.code]["suppressed"] == (not isinstance(row[0], int))
        assert shapes[ward.code]["value"] == row[0]
    assert b"approximate" in response.content and b"<image" not in response.content


def test_a_configured_tile_source_is_drawn_under_the_map(client, city, settings):
    settings.DASHBOARDS_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    figures, _, response = _view(client, city, settings)
    tiles = figures["concerns_by_ward"].ward_map()["tiles"]
    assert tiles and all(t["href"].startswith("https://tiles.example.org/12/") for t in tiles)
    assert b"tiles.example.org" in response.content


def test_weeks_before_the_first_concern_are_said_to_be_before_recording_began(client, city,
                                                                            settings):
    # The demo's concerns begin three weeks ago: the chart read 0, 0, 0 ... then hundreds,
    # which a strategic lead took for a surge (seen on the tour).
    first = Concern.objects.order_by("raised_at").first()
    day = first.raised_at.astimezone(clock.LOCAL).date()
    _, _, twelve = _view(client, city, settings, period="12w")
    body = twelve.content.decode()
    said = f"Concerns are recorded here from {day.day} {day:%B %Y}"
    assert first.raised_at > parse({"period": "12w"}).start and said in body
    Concern.objects.filter(pk=first.pk).update(raised_at=first.raised_at.replace(year=2000))
    _, _, again = _view(client, city, settings, period="12w")
    assert "Concerns are recorded here from" not in again.content.decode()
