"""Cleaning single fields: names, nicknames, dates, postcodes, phones, NHS numbers."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferoptions.linkage import normalise

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(("raw", "clean"), [
    ("  O'Brien-Smyth ", "obrien smyth"),
    ("Zoë", "zoe"),
    ("JAYDEN", "jayden"),
    ("", None),
    (None, None),
    ("123", None),
])
def test_names_lose_case_accents_and_punctuation(raw, clean):
    assert normalise.name(raw) == clean


@pytest.mark.parametrize(("a", "b"), [
    ("Jayden", "Jaydon"), ("Mohammed", "Muhammad"), ("Mohammad", "Muhammed"),
    ("Alex", "Alexander"), ("Liz", "Elizabeth"), ("Lizzie", "Elizabeth"),
])
def test_nicknames_share_a_usual_name(a, b):
    assert normalise.canonical_forename(a) == normalise.canonical_forename(b)


def test_different_names_keep_different_usual_names():
    assert normalise.canonical_forename("Jayden") != normalise.canonical_forename("Jordan")
    assert normalise.canonical_forename("Unlisted") == "unlisted"


@pytest.mark.parametrize(("raw", "expected"), [
    ("2009-04-03", dt.date(2009, 4, 3)),
    ("03/04/2009", dt.date(2009, 4, 3)),
    ("3/4/09", dt.date(2009, 4, 3)),
    ("3.4.2009", dt.date(2009, 4, 3)),
    ("31/12/99", dt.date(1999, 12, 31)),
    (dt.date(2010, 1, 2), dt.date(2010, 1, 2)),
])
def test_dates_in_iso_and_uk_forms(raw, expected):
    assert normalise.date_of_birth(raw, today=TODAY) == expected


@pytest.mark.parametrize("raw", [
    "31/02/2009", "2009-13-01", "00/01/2009", "yesterday", "", None, "01/01/2030", "1850-01-01",
])
def test_impossible_dates_are_missing(raw):
    assert normalise.date_of_birth(raw, today=TODAY) is None


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
def test_any_real_date_reads_the_same_in_every_form(day):
    forms = [day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day}/{day.month}/{day.year}"]
    assert {normalise.date_of_birth(f, today=TODAY) for f in forms} == {day}


@given(st.text(max_size=12))
def test_no_text_crashes_the_date_reader(text):
    result = normalise.date_of_birth(text, today=TODAY)
    assert result is None or dt.date(1900, 1, 1) <= result <= TODAY


def test_swapped_day_and_month():
    assert normalise.swapped_day_month(dt.date(2009, 4, 3)) == dt.date(2009, 3, 4)
    assert normalise.swapped_day_month(dt.date(2009, 4, 13)) is None
    assert normalise.swapped_day_month(dt.date(2009, 4, 4)) is None


_LETTERS = "ABCDEFGHJKLMNOPRSTUWYZ"
postcodes = st.builds(
    lambda area, district, sector, unit: f"{area}{district} {sector}{unit}",
    st.text(alphabet=_LETTERS, min_size=1, max_size=2),
    st.integers(min_value=1, max_value=99).map(str),
    st.integers(min_value=0, max_value=9).map(str),
    st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
)


@given(postcodes, st.sampled_from(["", " ", "  "]), st.booleans())
def test_postcodes_are_upper_case_with_one_space(code, spacing, lower):
    messy = code.replace(" ", spacing)
    messy = messy.lower() if lower else messy
    clean = normalise.postcode(messy)
    assert clean == code
    assert normalise.postcode(clean) == clean
    assert normalise.postcode_outward(messy) == code.split(" ")[0]


@pytest.mark.parametrize("raw", ["BS1", "12345", "BS1 4D", "not a postcode", "", None, "BS1 4DJX"])
def test_malformed_postcodes_are_missing(raw):
    assert normalise.postcode(raw) is None


def test_postcode_sector():
    assert normalise.postcode_sector("bs14dj") == "BS1 4"


@pytest.mark.parametrize(("raw", "clean"), [
    ("+44 7700 900123", "07700900123"), ("07700 900123", "07700900123"),
    ("0117 496 0000", "01174960000"), ("123", None), ("", None),
])
def test_phones(raw, clean):
    assert normalise.phone(raw) == clean


def test_nhs_number_check_digit():
    assert normalise.nhs_number("943 476 5919") == "9434765919"
    assert normalise.nhs_number_is_valid("9434765919")
    # One digit wrong fails Modulus 11: missing, not evidence.
    assert normalise.nhs_number("9434765918") is None
    assert normalise.nhs_number("943476591") is None
    assert normalise.nhs_number("abcdefghij") is None


def test_nhs_number_whose_check_would_be_ten_is_never_valid():
    # 1000000010: weighted sum 10 + 2 = 12 -> 11 - 1 = 10, which no check digit can be.
    assert not any(normalise.nhs_number_is_valid(f"100000001{d}") for d in range(10))


@given(st.lists(st.integers(min_value=0, max_value=9), min_size=9, max_size=9))
def test_exactly_one_check_digit_or_none_is_valid(body):
    digits = "".join(map(str, body))
    assert sum(normalise.nhs_number_is_valid(digits + str(d)) for d in range(10)) <= 1


def test_sex_and_address():
    assert normalise.sex("Female") == "f"
    assert normalise.sex("U") is None
    assert normalise.address("12, Mill Road") == "12 mill rd"
    assert normalise.soundex("Smyth") == normalise.soundex("Smith") == "S530"
