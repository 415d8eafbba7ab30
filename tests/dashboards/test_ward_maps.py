"""Maps by ward on the Violence Reduction and Exploitation apps, drawn as the Safer Options
map is (dashboards.maps): each against an independent count per ward, the map, the table and
both downloads showing the same suppressed values, nothing fetched unless configured."""

import csv
import io

import openpyxl
import pytest

from saferoptions.analytics.suppression import round_table
from saferoptions.contexts.models import ContextCase
from saferoptions.core.models import Role
from saferoptions.dashboards.filters import parse

from . import expected as ex

pytestmark = pytest.mark.django_db


def _view(client, city, app, role=Role.STRATEGIC_LEAD):
    client.force_login(city.users[role])
    query = {"locality": city.here.slug, "period": "4w"}
    response = client.get(f"/dashboard/{app}/", query)
    assert response.status_code == 200
    return {s.figure.key: s for s in response.context["figures"]}, parse(query), response


def _per_ward(wards, found) -> list[int]:
    return [sum(1 for e, _ in found if e.place and e.place.ward_id == w.pk) for w in wards]


def _shown_alike(client, app, shown, query) -> None:
    """The table is the count as the reader may see it (the strategic lead and the analyst
    read aggregates: rounded); each map, the CSV and the XLSX show exactly it."""
    assert shown.cells == round_table(shown.figure.counts).cells
    maps = shown.ward_maps()
    assert [m["column"] for m in maps] == shown.figure.columns
    for column, drawn in enumerate(maps):
        shapes = {s["code"]: s for s in drawn["shapes"]}
        assert set(shapes) == set(shown.figure.row_keys)
        for code, row in zip(shown.figure.row_keys, shown.cells, strict=True):
            assert shapes[code]["value"] == row[column]
            assert shapes[code]["suppressed"] == (not isinstance(row[column], int))
            assert (shapes[code]["fill"] == "") == shapes[code]["suppressed"]
    width = len(shown.figure.columns)
    url = f"/dashboard/{app}/{shown.figure.key}"
    rows = list(csv.reader(io.StringIO(client.get(f"{url}.csv", query).content.decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}.xlsx", query).content)).active
    cells = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    for found in (rows, cells):
        body = found[3:3 + len(shown.figure.rows)]
        assert [r[0] for r in body] == shown.figure.rows
        assert [r[1:1 + width] for r in body] == [[str(v) for v in r] for r in shown.cells]


def test_violence_reduction_maps_knife_ed_and_stop_search_by_ward(client, city):
    figures, f, response = _view(client, city, "violence-reduction")
    shown = figures["by_ward"]
    wards = list(city.here.wards.order_by("name"))
    counts = list(zip(_per_ward(wards, ex.events(city.here, f, ex.is_knife)),
                      _per_ward(wards, ex.events(city.here, f, ex.is_ed_under_25)),
                      _per_ward(wards, ex.events(city.here, f, ex.of_type("stop_search"))),
                      strict=True))
    assert shown.figure.counts == [list(r) for r in counts]
    assert sum(map(sum, counts)) > 0
    _shown_alike(client, "violence-reduction", shown, {"locality": city.here.slug,
                                                        "period": "4w"})
    page = response.content.decode()
    assert page.count('id="map-by_ward-') == 3 * 3  # three maps: title, description, hatch
    assert "approximate" in page and "<image" not in page


def test_exploitation_maps_missing_episodes_and_places_under_review_by_ward(client, city):
    figures, f, response = _view(client, city, "exploitation")
    wards = list(city.here.wards.order_by("name"))
    missing = figures["missing_by_ward"]
    assert missing.figure.counts == [[n] for n in _per_ward(
        wards, ex.events(city.here, f, ex.of_type("missing_episode")))]
    assert missing.figure.drillable
    cases = ContextCase.objects.exclude(status="closed").select_related("place", "school__place")
    where = [(c.kind, (c.place or (c.school.place if c.school else None))) for c in cases]
    review = figures["under_review_by_ward"]
    assert review.figure.counts == [
        [sum(1 for kind, p in where if kind == k and p and p.ward_id == w.pk)
         for k in ("place", "school")] for w in wards]
    assert sum(map(sum, review.figure.counts)) > 0
    assert not review.figure.drillable  # places, not children: nobody behind them to list
    query = {"locality": city.here.slug, "period": "4w"}
    for shown in (missing, review):
        _shown_alike(client, "exploitation", shown, query)
    assert "<image" not in response.content.decode()


def test_the_new_maps_are_suppressed_for_everyone_outside_need_to_know(client, city):
    """Every viewer of the dashboards is outside need-to-know: the analyst's maps show small
    counts as "fewer than 5" and every other count rounded to the nearest 5."""
    shown = []
    for app in ("violence-reduction", "exploitation"):
        figures, _, _ = _view(client, city, app, role=Role.ANALYST)
        shown += [s for s in figures.values() if s.figure.chart == "map"]
    assert {s.figure.key for s in shown} == {"by_ward", "missing_by_ward",
                                             "under_review_by_ward"}
    values = [v for s in shown for m in s.ward_maps() for v in
              (shape["value"] for shape in m["shapes"])]
    assert not any(isinstance(v, int) and v % 5 for v in values)
    assert "fewer than 5" in values
