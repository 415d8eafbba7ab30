"""A whole number from an address: ASCII digits within the database's integers, else None."""

from hypothesis import given
from hypothesis import strategies as st

from saferoptions.core.numbers import MOST, whole_number


def test_digits_read_and_anything_else_is_none():
    assert whole_number("42") == 42 and whole_number("007") == 7 and whole_number("0") == 0
    for text in ("", None, "-1", "1.5", " 1", "x", "\u00b2", "\u0663", "1e3", str(MOST + 1)):
        assert whole_number(text) is None, text
    assert whole_number(str(MOST)) == MOST
    assert whole_number("101", most=100) is None and whole_number("100", most=100) == 100


@given(st.text(max_size=30))
def test_any_text_gives_a_number_within_bounds_or_none_and_never_raises(text):
    number = whole_number(text, most=10**6)
    assert number is None or 0 <= number <= 10**6
