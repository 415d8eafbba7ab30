"""Rate limits counted in the database (core/rates.py): a sliding window from two fixed ones,
counted by one upsert per request however busy the caller, shared by every web process."""

import pytest

from saferoptions.core import rates
from saferoptions.core.models import RateCount

pytestmark = pytest.mark.django_db

MINUTE = 60
START = 1_800_000_000.0  # the start of a window of every length used here


def test_each_request_is_counted_in_its_window_and_callers_apart():
    assert rates.hit("partner:1", MINUTE, START + 1) == (1, 0, pytest.approx(1 / 60))
    assert rates.hit("partner:1", MINUTE, START + 2)[0] == 2
    assert rates.hit("partner:2", MINUTE, START + 2)[0] == 1
    # The next window starts again, and carries the last one's count beside it.
    current, previous, elapsed = rates.hit("partner:1", MINUTE, START + 60 + 15)
    assert (current, previous, elapsed) == (1, 2, 0.25)
    assert RateCount.objects.count() == 3


def test_the_previous_window_counts_for_the_share_still_inside_the_last_minute():
    assert rates.recent(current=10, previous=40, elapsed=0.25) == 40
    assert rates.recent(current=10, previous=40, elapsed=1.0) == 10


def test_a_busy_caller_costs_one_small_row_a_window(django_assert_max_num_queries):
    for second in range(300):
        rates.hit("partner:busy", MINUTE, START + second / 10)
    with django_assert_max_num_queries(2):
        rates.hit("partner:busy", MINUTE, START + 30)
    assert list(RateCount.objects.values_list("hits", flat=True)) == [301]


def test_old_windows_are_dropped(monkeypatch):
    rates.hit("anon:10.0.0.1", MINUTE, START)
    monkeypatch.setattr(rates.random, "randrange", lambda n: 0)
    rates.hit("anon:10.0.0.2", MINUTE, START + 3 * MINUTE + 1)
    assert list(RateCount.objects.values_list("caller", flat=True)) == ["anon:10.0.0.2"]


def test_a_refused_request_is_taken_back():
    for _ in range(3):
        rates.hit("user:7", MINUTE, START)
    rates.undo("user:7", MINUTE, START)
    assert RateCount.objects.get().hits == 2


class Throttle(rates.CountedRateThrottle):
    scope = "test"
    rate = "10/min"

    def get_rate(self):
        return self.rate

    def get_cache_key(self, request, view):
        return self.key_for("caller")


@pytest.mark.parametrize(("current", "previous", "elapsed", "expected"), [
    (10, 0, 0.5, 36),  # alone in its window: until it ends, then a tenth of the next
    (5, 10, 0.5, 6),   # the previous window's share has to shrink by one request's worth
    (10, 10, 0.0, 60),  # full in both: never more than the window's length
    (0, 11, 0.99, 1),  # never less than a second
])
def test_retry_after_is_when_one_more_request_fits(current, previous, elapsed, expected):
    throttle = Throttle()
    throttle._state = current, previous, elapsed
    assert throttle.wait() == expected
