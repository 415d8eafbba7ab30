"""How old a person was on a day, and whether they were a child then: one rule for every duty
the law gives children only (the return home interview's task and its statutory clock), and
for the kind a person is known as (a new person from a feed, and every batch linkage run)."""

import datetime as dt

from saferoptions.core import clock

from .models import PersonKind

ADULT_AGE = 18
YOUNG_ADULT_UNTIL = 24


def age_on(date_of_birth: dt.date | None, day: dt.date) -> int | None:
    """Whole years on `day` (a 29 February birthday turns over on 1 March), or None with no
    date of birth."""
    if date_of_birth is None:
        return None
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def day_of(moment: dt.datetime) -> dt.date:
    """The partnership's calendar day of a moment (Europe/London): an episode at 00:30 BST
    on a birthday is on the birthday, though it is 23:30 the day before in UTC."""
    return clock.local(moment).date()


def age_then(event, involvement) -> int | None:
    """Their age on the day of the event, by the agency's record of them or else their
    person's: the agency's is what it knew when it reported them."""
    born = (involvement.identity.date_of_birth if involvement.identity_id else None) or (
        involvement.person.date_of_birth if involvement.person_id else None)
    return age_on(born, day_of(event.occurred_at))


def adult_then(event, involvement) -> bool:
    """Whether they were 18 or over on the day of the event; with no date of birth, as their
    person is known now (an unmatched record of unknown age is taken for a child, so a duty
    to a child is offered rather than missed)."""
    age = age_then(event, involvement)
    if age is not None:
        return age >= ADULT_AGE
    return involvement.person_id is not None and involvement.person.kind != PersonKind.CHILD


def kind_for(date_of_birth: dt.date | None, today: dt.date, *, current: str) -> str:
    """Child under 18, young adult 18-24, otherwise adult; unknown age keeps the current kind."""
    age = age_on(date_of_birth, today)
    if age is None:
        return current
    if age < ADULT_AGE:
        return PersonKind.CHILD
    return PersonKind.YOUNG_ADULT if age <= YOUNG_ADULT_UNTIL else PersonKind.ADULT_OF_CONCERN
