"""Publishing counts with the partnership's small-number threshold from settings."""

from django.conf import settings

from saferoptions.analytics import suppression


def count(value: int) -> suppression.Shown:
    """One count as it may leave need-to-know."""
    return suppression.suppress_count(value, settings.SMALL_NUMBER_THRESHOLD)


def table(counts) -> suppression.SuppressedTable:
    """A table of counts and its totals as they may leave need-to-know."""
    return suppression.suppress_table(counts, settings.SMALL_NUMBER_THRESHOLD)
