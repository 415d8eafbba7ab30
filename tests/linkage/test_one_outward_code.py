"""A postcode however it is typed gives one outward code: localities, linkage rows and files."""

import datetime as dt

import pytest

from saferoptions.core.identifiers import postcode_outward
from saferoptions.linkage import file_fields, records
from saferoptions.people import localities

TYPED = ["BS16 1AB", " bs16   1ab ", "bs161ab", "Bs16\t1aB", "BS 161AB"]


@pytest.mark.parametrize("typed", TYPED)
def test_every_reader_of_a_postcode_finds_the_same_district(typed):
    assert postcode_outward(typed) == "BS16"
    row = records.prepare("1", {"first_name": "Jayden", "postcode": typed})
    assert row["postcode_outward"] == "BS16"
    assert file_fields.postcode(typed)[2] == "BS16"
    served = {"BS16": 7, "BS1": 8}
    recorded = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    assert localities.placement([localities.Address(typed, recorded)], served).locality_id == 7


@pytest.mark.parametrize("typed", ["", "BS16", "2600", "not a postcode"])
def test_no_reader_finds_a_district_in_what_is_not_a_uk_postcode(typed):
    assert postcode_outward(typed) is None
    row = records.prepare("1", {"first_name": "Jayden", "postcode": typed})
    assert row["postcode_outward"] is None
    assert file_fields.postcode(typed)[2] is None
    placed = localities.placement([localities.Address(typed, None)], {"BS16": 7})
    assert placed.locality_id is None
