"""The suite can run as if on any date: the clock's running offset (SAFEROPTIONS_SUITE_NOW)."""

import datetime as dt
import subprocess
import sys
import time

import pytest

from saferoptions.core import clock


@pytest.fixture
def restore_offset():
    saved = clock._offset
    yield
    clock._offset = saved


def test_a_shifted_clock_reads_that_moment_and_keeps_running(restore_offset):
    at = dt.datetime(2028, 2, 29, 23, 59, 59, tzinfo=clock.LOCAL)
    clock.run_from(at)
    first = clock.now()
    assert abs(first - at) < dt.timedelta(seconds=1)
    assert clock.today() == dt.date(2028, 2, 29)
    time.sleep(0.02)
    # Idle timeouts and lock-outs need time to pass; a frozen clock would stop them.
    assert clock.now() > first


def test_a_frozen_block_wins_over_the_offset(restore_offset):
    clock.run_from(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    fixed = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    with clock.frozen(fixed):
        assert clock.now() == fixed


@pytest.mark.parametrize("text, expected", [
    ("2026-12-31T23:59", dt.datetime(2026, 12, 31, 23, 59, tzinfo=clock.LOCAL)),
    ("2028-02-29", dt.datetime(2028, 2, 29, tzinfo=clock.LOCAL)),
    ("2026-10-25T23:30+00:00", dt.datetime(2026, 10, 25, 23, 30, tzinfo=dt.UTC)),
])
def test_the_suite_date_is_local_time_unless_an_offset_is_given(text, expected):
    assert clock.parse_suite_now(text) == expected


def test_the_local_date_follows_british_summer_time():
    # 23:30 UTC is still that day in London in winter (GMT) and already the next day in summer.
    with clock.frozen(dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC)):
        assert clock.today() == dt.date(2026, 3, 28)
    with clock.frozen(dt.datetime(2026, 6, 1, 23, 30, tzinfo=dt.UTC)):
        assert clock.today() == dt.date(2026, 6, 2)


@pytest.mark.parametrize("text", ["31/12/2026", "tomorrow", "2026-02-30"])
def test_a_bad_suite_date_names_the_variable_and_the_form(text):
    with pytest.raises(ValueError, match="SAFEROPTIONS_SUITE_NOW") as error:
        clock.parse_suite_now(text)
    assert "2028-02-29" in str(error.value)


def test_the_test_plugin_applies_the_variable_in_a_new_process():
    code = ("import saferoptions.testing; from saferoptions.core import clock; "
            "print(clock.today().isoformat())")
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={"SAFEROPTIONS_SUITE_NOW": "2031-07-04T12:00", "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "2031-07-04"
