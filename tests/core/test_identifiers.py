"""The NHS number's check digit and UK postcodes: one home, the same answers everywhere."""

from hypothesis import given
from hypothesis import strategies as st

from saferoptions.core.identifiers import (
    is_valid_nhs_number,
    nhs_check_digit,
    postcode,
    postcode_outward,
)


def test_a_published_example_passes_and_one_slip_fails():
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918")
    assert not is_valid_nhs_number("943476591")
    assert not is_valid_nhs_number("94347659ab")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nine_digits_with_their_check_digit_make_a_valid_number(nine):
    check = nhs_check_digit(nine)
    if check is None:  # no valid number starts with these nine digits
        assert not any(is_valid_nhs_number(nine + str(d)) for d in range(10))
    else:
        assert is_valid_nhs_number(nine + str(check))
        assert sum(is_valid_nhs_number(nine + str(d)) for d in range(10)) == 1


def test_postcodes_are_read_however_they_are_typed_and_foreign_ones_are_not_uk():
    assert postcode(" bs56xy ") == "BS5 6XY"
    assert postcode_outward("bs1 4dj") == "BS1"
    assert postcode_outward("EC1A1BB") == "EC1A"
    assert postcode("2600") is None and postcode_outward("2600") is None
    assert postcode_outward("") is None
