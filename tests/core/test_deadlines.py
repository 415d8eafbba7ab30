"""Deadlines read the same on every page: the end of a day says so, in London time."""

import datetime as dt

import pytest
from django.template import Context, Template

from saferoptions.core import clock
from saferoptions.core.deadlines import due_text

LONDON = clock.LOCAL
NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)  # a Thursday


@pytest.fixture(autouse=True)
def _thursday():
    with clock.frozen(NOW):
        yield


@pytest.mark.parametrize(("due", "text"), [
    # Thursday's work, stored either way, is Thursday's; a minute later is Friday's.
    (dt.datetime(2026, 12, 3, 23, 59, 59, tzinfo=LONDON), "by end of Thu 3 Dec"),
    (dt.datetime(2026, 12, 4, 0, 0, tzinfo=LONDON), "by end of Thu 3 Dec"),
    (dt.datetime(2026, 12, 4, 0, 1, tzinfo=LONDON), "Fri 4 Dec 00:01"),
    (dt.datetime(2026, 12, 3, 23, 58, tzinfo=LONDON), "Thu 3 Dec 23:58"),
    (dt.datetime(2026, 12, 4, 17, 0, tzinfo=LONDON), "Fri 4 Dec 17:00"),
    (dt.date(2026, 12, 3), "by end of Thu 3 Dec"),
    # Another year says so; the new year's first midnight ends the old year.
    (dt.datetime(2027, 1, 1, 0, 0, tzinfo=LONDON), "by end of Thu 31 Dec"),
    (dt.datetime(2027, 1, 2, 0, 0, tzinfo=LONDON), "by end of Fri 1 Jan 2027"),
])
def test_a_deadline_in_words(due, text):
    assert due_text(due) == text


def test_the_end_of_a_summer_day_stored_in_utc_is_that_day_in_london():
    # 23:00 UTC on 1 July is midnight in BST: the end of Wednesday 1 July, not Thursday.
    assert due_text(dt.datetime(2026, 7, 1, 23, 0, tzinfo=dt.UTC)) == "by end of Wed 1 Jul"
    assert due_text(dt.datetime(2026, 7, 1, 22, 59, 59, tzinfo=dt.UTC)) == "by end of Wed 1 Jul"
    assert due_text(dt.datetime(2026, 7, 1, 23, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=30)) \
        == "Thu 2 Jul 00:30"


def test_the_days_the_clocks_change():
    # 29 March 2026: the clocks go forward at 01:00 GMT; midnight is still GMT's.
    assert due_text(dt.datetime(2026, 3, 29, 0, 0, tzinfo=dt.UTC)) == "by end of Sat 28 Mar"
    # 01:30 UTC after the change is 02:30 BST on Sunday.
    assert due_text(dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)) == "Sun 29 Mar 02:30"
    # 25 October 2026: back to GMT at 02:00 BST; the end of Sunday is 23:59:59 GMT.
    end = dt.datetime.combine(dt.date(2026, 10, 25), dt.time(23, 59, 59), tzinfo=LONDON)
    assert end.utcoffset() == dt.timedelta(0)
    assert due_text(end) == "by end of Sun 25 Oct"
    # The same UTC hour a day earlier was still BST: 23:30 UTC is Sunday 00:30 BST.
    assert due_text(dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC)) == "Sun 25 Oct 00:30"


def test_every_template_has_the_filter_without_loading_it():
    due = dt.datetime(2026, 12, 4, 0, 0, tzinfo=LONDON)
    assert Template("due {{ d|due }}").render(Context({"d": due})) == "due by end of Thu 3 Dec"
    assert Template("{{ d|due }}").render(Context({"d": None})) == ""
