"""The needs-assessment table counted in the database gives the figures its rows give, for
every locality, one locality and one ward (an age band is counted from the rows)."""

import pytest

from saferoptions.core.models import Ward
from saferoptions.dashboards import needs
from saferoptions.dashboards.filters import parse

pytestmark = pytest.mark.django_db


def _queries(city):
    wards = Ward.objects.filter(locality=city.here).order_by("code")
    return [{"period": "4w"}, {"period": "52w"},
            {"period": "12w", "locality": city.here.slug},
            *({"period": "52w", "ward": w.code} for w in wards)]


def test_counted_in_the_database_as_from_the_rows(city):
    counted_any = 0
    for query in _queries(city):
        counted = needs.needs_assessment(parse(query))
        from_rows = needs._from_rows(parse(query))
        assert counted.counts == from_rows.counts, query
        assert (counted.rows, counted.row_keys, counted.column_keys) == (
            from_rows.rows, from_rows.row_keys, from_rows.column_keys)
        assert counted.frame is None and not counted.row_totals
        counted_any += sum(map(sum, counted.counts))
    assert counted_any > 0


def test_every_measure_is_counted_somewhere(city):
    counts = needs.needs_assessment(parse({"period": "52w"})).counts
    assert all(sum(row[c] for row in counts) > 0 for c in range(len(needs.NEEDS_COLUMNS)))


def test_an_age_band_is_counted_from_the_rows(city):
    filters = parse({"period": "52w", "age": "14-15"})
    assert needs.needs_assessment(filters).counts == needs._from_rows(
        parse({"period": "52w", "age": "14-15"})).counts
