"""The variation helpers: NHS numbers, typing slips, swapped dates."""

import random
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from saferoptions.city.variation import (
    corrupt_nhs_number,
    is_valid_nhs_number,
    nhs_numbers,
    swap_day_month,
    typo,
)


def test_a_published_example_nhs_number_is_valid_and_a_slip_is_not():
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918")
    assert not is_valid_nhs_number("943476591")
    assert not is_valid_nhs_number("94347659ab")


def test_generated_nhs_numbers_are_distinct_valid_and_in_the_test_range():
    numbers = nhs_numbers(random.Random(1), 5000)
    assert len(set(numbers)) == 5000
    assert all(is_valid_nhs_number(n) and n.startswith("999") for n in numbers)


@given(st.integers(min_value=0, max_value=10_000))
def test_a_corrupted_nhs_number_fails_its_check(seed):
    rng = random.Random(seed)
    number = nhs_numbers(rng, 1)[0]
    assert not is_valid_nhs_number(corrupt_nhs_number(rng, number))


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12),
       st.integers(min_value=0, max_value=1000))
def test_a_typo_changes_a_name_by_at_most_one_or_two_letters(word, seed):
    slipped = typo(random.Random(seed), word)
    assert abs(len(slipped) - len(word)) <= 1
    assert slipped[0] == word[0]


def test_day_and_month_swap_only_when_it_makes_a_different_date():
    assert swap_day_month(date(2010, 7, 3)) == date(2010, 3, 7)
    assert swap_day_month(date(2010, 7, 13)) is None
    assert swap_day_month(date(2010, 5, 5)) is None
