"""Background jobs for feeds (run by django-q2's worker; inline in tests)."""

from django.conf import settings

from . import services


def process_message(message_id: int) -> str:
    """Process one stored message; safe to run any number of times."""
    return services.process_message(message_id)


def sweep_inbox() -> int:
    """Scheduled: re-enqueue messages a crash left behind."""
    return services.sweep_inbox(older_than_seconds=settings.FEEDS_SWEEP_AFTER_SECONDS)
