"""Hot spots on the H3 grid: Getis-Ord Gi*, time profiles, GeoJSON and bad input."""

import json
from datetime import UTC, datetime

import h3
import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferoptions.analytics.errors import AnalyticsInputError, OutsideCityError
from saferoptions.analytics.gistar import getis_ord_gi_star
from saferoptions.analytics.hotspots import CityBounds, find_hotspots, hexagon_geojson

# A small box in central Bristol keeps the grid to about 140 cells at resolution 9.
BOX = CityBounds(min_lat=51.44, min_lng=-2.62, max_lat=51.47, max_lng=-2.56)
CLUSTER = (51.455, -2.59)


def _box_cells():
    corners = [
        (BOX.min_lat, BOX.min_lng),
        (BOX.min_lat, BOX.max_lng),
        (BOX.max_lat, BOX.max_lng),
        (BOX.max_lat, BOX.min_lng),
    ]
    return sorted(h3.h3shape_to_cells(h3.LatLngPoly(corners), 9))


def _events(lat, lng, rng, **extra):
    seconds = rng.integers(1_700_000_000, 1_760_000_000, len(lat))
    times = pl.Series(seconds * 1_000_000).cast(pl.Datetime("us", "UTC"))
    return pl.DataFrame({"lat": lat, "lng": lng, "occurred_at": times, **extra})


def _uniform_over_cells(seed, per_cell=20):
    """Events spread evenly over the box's hexagons (so edge cells are not half empty)."""
    rng = np.random.default_rng(seed)
    centres = np.array([h3.cell_to_latlng(c) for c in _box_cells()])
    picked = centres[rng.integers(0, len(centres), per_cell * len(centres))]
    return _events(picked[:, 0], picked[:, 1], rng)


def test_a_planted_cluster_is_found_as_a_hot_spot():
    rng = np.random.default_rng(1)
    noise = _uniform_over_cells(1, per_cell=5)
    lat = rng.normal(CLUSTER[0], 0.0006, 400)
    lng = rng.normal(CLUSTER[1], 0.0009, 400)
    events = pl.concat([noise, _events(lat, lng, rng)])
    result = find_hotspots(events, bounds=BOX)
    centre = h3.latlng_to_cell(*CLUSTER, 9)
    hot = set(result.hot_cells.get_column("cell"))
    assert centre in hot
    # Everything flagged is the cluster or right next to it.
    assert hot <= set(h3.grid_disk(centre, 2))
    assert result.method["name"] == "Getis-Ord Gi*"


def test_uniform_noise_gives_false_positives_near_alpha_and_none_after_correction():
    raw_rates, corrected = [], 0
    for seed in range(10):
        events = _uniform_over_cells(seed)
        raw = find_hotspots(events, bounds=BOX, correction="none", alpha=0.05).by_cell
        raw_rates.append(raw.filter(pl.col("p_value") < 0.05).height / raw.height)
        fdr = find_hotspots(events, bounds=BOX, alpha=0.05).by_cell
        corrected += fdr.filter(pl.col("hot_spot") | pl.col("cold_spot")).height
    assert 0.02 <= np.mean(raw_rates) <= 0.10
    assert corrected <= 2


def test_counts_by_cell_add_up_and_empty_cells_are_in_the_study_area():
    events = _uniform_over_cells(3, per_cell=2)
    result = find_hotspots(events, bounds=BOX)
    assert result.by_cell.get_column("events").sum() == events.height
    assert set(_box_cells()) <= set(result.by_cell.get_column("cell"))


def test_weights_are_summed():
    rng = np.random.default_rng(0)
    events = _events(np.full(3, CLUSTER[0]), np.full(3, CLUSTER[1]), rng, weight=[1.0, 2.0, 0.5])
    result = find_hotspots(events, bounds=BOX)
    cell = result.by_cell.filter(pl.col("cell") == h3.latlng_to_cell(*CLUSTER, 9))
    assert cell.get_column("value").item() == 3.5
    assert cell.get_column("events").item() == 3


def test_times_are_counted_in_local_time():
    # 23:30 UTC on Wednesday 1 July 2026 is 00:30 on Thursday in Bristol (BST).
    events = pl.DataFrame(
        {
            "lat": [CLUSTER[0]],
            "lng": [CLUSTER[1]],
            "occurred_at": [datetime(2026, 7, 1, 23, 30, tzinfo=UTC)],
        }
    )
    by_time = find_hotspots(events, bounds=BOX).by_time
    assert by_time.height == 7 * 24
    busy = by_time.filter(pl.col("events") > 0)
    assert busy.select("weekday", "hour").row(0) == (4, 0)


def test_geojson_hexagons_are_closed_rings_in_lng_lat_order():
    result = find_hotspots(_uniform_over_cells(2, per_cell=1), bounds=BOX)
    collection = hexagon_geojson(result)
    assert collection["type"] == "FeatureCollection"
    assert collection["method"]["grid"] == "H3 resolution 9"
    for feature in collection["features"]:
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1]
        assert all(-2.7 < lng < -2.5 and 51.4 < lat < 51.5 for lng, lat in ring)
        assert feature["properties"]["events"] > 0 or feature["properties"]["hot_spot"]


def test_coordinates_outside_the_city_are_refused_naming_the_row():
    rng = np.random.default_rng(0)
    events = _events(np.array([51.45, 52.5]), np.array([-2.59, -2.59]), rng)
    with pytest.raises(OutsideCityError) as caught:
        find_hotspots(events, bounds=BOX)
    assert caught.value.field == "events.lat"
    assert "first at row 1" in caught.value.reason


@pytest.mark.parametrize(
    ("events", "field"),
    [
        (pl.DataFrame({"lat": [51.45], "lng": [-2.59]}), "events.occurred_at"),
        (
            pl.DataFrame(
                {"lat": [51.45], "lng": [None], "occurred_at": [datetime(2026, 1, 1, tzinfo=UTC)]}
            ),
            "events.lng",
        ),
        (
            pl.DataFrame({"lat": [51.45], "lng": [-2.59], "occurred_at": [datetime(2026, 1, 1)]}),
            "events.occurred_at",
        ),
        (
            pl.DataFrame(
                {
                    "lat": [51.45],
                    "lng": [-2.59],
                    "occurred_at": [datetime(2026, 1, 1, tzinfo=UTC)],
                    "weight": [-1.0],
                }
            ),
            "events.weight",
        ),
        ({"lat": [51.45]}, "events"),
    ],
)
def test_bad_events_name_the_field(events, field):
    with pytest.raises(AnalyticsInputError) as caught:
        find_hotspots(events, bounds=BOX)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"resolution": 16}, "resolution"),
        ({"k": 0}, "k"),
        ({"alpha": 0.7}, "alpha"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"correction": "bonferonni"}, "correction"),
    ],
)
def test_bad_parameters_name_the_field(kwargs, field):
    events = _uniform_over_cells(0, per_cell=1)
    with pytest.raises(AnalyticsInputError) as caught:
        find_hotspots(events, bounds=BOX, **kwargs)
    assert caught.value.field == field


def test_a_back_to_front_box_is_refused():
    with pytest.raises(AnalyticsInputError, match="bounds.lat"):
        CityBounds(min_lat=51.5, min_lng=-2.7, max_lat=51.4, max_lng=-2.5)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.integers(0, 50), min_size=len(_box_cells()), max_size=len(_box_cells())),
    scale=st.floats(0.1, 100),
)
def test_gi_star_does_not_depend_on_the_unit_of_the_values(values, scale):
    cells = np.array(sorted(h3.str_to_int(c) for c in _box_cells()), dtype=np.uint64)
    x = np.asarray(values, dtype=np.float64)
    plain = getis_ord_gi_star(cells, x, k=1, alpha=0.05, correction="none")
    scaled = getis_ord_gi_star(cells, x * scale, k=1, alpha=0.05, correction="none")
    np.testing.assert_allclose(plain["gi_z"], scaled["gi_z"], atol=1e-6)
    assert ((plain["p_value"] >= 0) & (plain["p_value"] <= 1)).all()


def test_without_a_box_the_study_area_is_the_cells_near_events():
    rng = np.random.default_rng(0)
    events = _events(np.full(5, CLUSTER[0]), np.full(5, CLUSTER[1]), rng)
    result = find_hotspots(events, bounds=None, k=1)
    centre = h3.latlng_to_cell(*CLUSTER, 9)
    assert set(result.by_cell.get_column("cell")) == set(h3.grid_disk(centre, 1))
    assert "within 1 ring" in result.method["study_area"]


def test_geojson_is_plain_json():
    result = find_hotspots(_uniform_over_cells(4, per_cell=1), bounds=BOX)
    assert json.loads(json.dumps(hexagon_geojson(result)))["type"] == "FeatureCollection"


def test_kernel_density_peaks_at_the_cluster_and_is_stated():
    rng = np.random.default_rng(5)
    noise = _uniform_over_cells(5, per_cell=1)
    cluster = _events(np.full(200, CLUSTER[0]), np.full(200, CLUSTER[1]), rng)
    result = find_hotspots(pl.concat([noise, cluster]), bounds=BOX, kde_bandwidth=2)
    densest = result.by_cell.sort("density", descending=True).get_column("cell")[0]
    assert densest == h3.latlng_to_cell(*CLUSTER, 9)
    assert "quartic kernel over 2 ring(s)" in result.method["kernel_density"]
    assert "density" not in find_hotspots(noise, bounds=BOX).by_cell.columns


def test_a_quiet_neighbourhood_in_an_empty_city_is_not_flagged_only_the_busy_cluster():
    # Most of the box is empty; one neighbourhood has a little everywhere, one spot a lot.
    # Against the near-empty city-wide mean Gi* finds the whole neighbourhood a cluster;
    # the targeted flag keeps only hexagons busy in themselves.
    rng = np.random.default_rng(3)
    home = h3.latlng_to_cell(51.447, -2.605, 9)
    quiet = [c for c in _box_cells() if h3.grid_distance(c, home) <= 3]
    centre = h3.latlng_to_cell(*CLUSTER, 9)
    busy = [centre] * 10 + [c for c in h3.grid_disk(centre, 1) for _ in range(5)]
    points = np.array([h3.cell_to_latlng(c) for c in [*quiet, *quiet, *quiet, *busy]])
    result = find_hotspots(_events(points[:, 0], points[:, 1], rng), bounds=BOX)
    clusters = set(result.by_cell.filter(pl.col("cluster")).get_column("cell"))
    hot = set(result.hot_cells.get_column("cell"))
    assert len(clusters & set(quiet)) > 5
    assert centre in hot and hot <= set(h3.grid_disk(centre, 1))
    assert "average count" in result.method["hot_spot"]
    old = find_hotspots(_events(points[:, 0], points[:, 1], rng), bounds=BOX, min_own="none")
    assert set(old.hot_cells.get_column("cell")) == clusters


def test_an_unknown_hot_spot_rule_is_refused():
    with pytest.raises(AnalyticsInputError) as error:
        find_hotspots(_uniform_over_cells(0), bounds=BOX, min_own="loud")
    assert error.value.field == "min_own"
