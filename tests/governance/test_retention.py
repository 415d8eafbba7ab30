"""Review dates follow the retention rule: the later of an age and years after last contact."""

import datetime as dt

import pytest

from saferoptions.governance.models import RetentionRule
from saferoptions.governance.retention import add_years, review_date

CHILD = RetentionRule(
    category="child", review_trigger="age_or_last_contact", years_after_last_contact=6, until_age=25
)
ADULT = RetentionRule(
    category="adult_of_concern", review_trigger="last_contact", years_after_last_contact=6
)


def test_a_young_childs_record_is_kept_to_their_25th_birthday():
    due = review_date(CHILD, last_contact=dt.date(2026, 5, 1), date_of_birth=dt.date(2012, 7, 9))
    assert due == dt.date(2037, 7, 9)


def test_contact_late_in_childhood_keeps_the_record_six_years_after():
    due = review_date(CHILD, last_contact=dt.date(2030, 5, 1), date_of_birth=dt.date(2008, 1, 1))
    assert due == dt.date(2036, 5, 1)


def test_without_a_date_of_birth_last_contact_decides():
    assert review_date(CHILD, last_contact=dt.date(2026, 5, 1), date_of_birth=None) == dt.date(
        2032, 5, 1
    )


def test_an_adults_record_ignores_age():
    due = review_date(ADULT, last_contact=dt.date(2026, 5, 1), date_of_birth=dt.date(2000, 1, 1))
    assert due == dt.date(2032, 5, 1)


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (dt.date(2012, 2, 29), 25, dt.date(2037, 2, 28)),
        (dt.date(2012, 2, 29), 4, dt.date(2016, 2, 29)),
    ],
)
def test_leap_day_birthdays(day, years, expected):
    assert add_years(day, years) == expected


@pytest.mark.django_db
def test_default_rules_are_installed_and_editable():
    rule = RetentionRule.objects.get(category="child")
    assert (rule.until_age, rule.years_after_last_contact) == (25, 6)
    assert "IRMS" in rule.basis
    rule.years_after_last_contact = 7
    rule.save()
    assert RetentionRule.objects.get(category="child").summary().startswith("7 years")
