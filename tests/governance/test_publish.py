"""Publishing counts applies the partnership's small-number threshold from settings."""

from saferoptions.governance import publish


def test_publishing_uses_the_partnerships_threshold_from_settings(settings):
    settings.SMALL_NUMBER_THRESHOLD = 10
    assert publish.count(7) == "<10"
    assert publish.table([[7, 30], [40, 50]]).cells[0][0] == "<10"
