"""Review dates: when a record falls due for a decision to keep or dispose. Pure date rules."""

import datetime as dt


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_date(rule, *, last_contact: dt.date, date_of_birth: dt.date | None) -> dt.date:
    """When a record under `rule` is next due for review."""
    due = add_years(last_contact, rule.years_after_last_contact)
    if rule.review_trigger == "age_or_last_contact" and rule.until_age and date_of_birth:
        due = max(due, add_years(date_of_birth, rule.until_age))
    return due
