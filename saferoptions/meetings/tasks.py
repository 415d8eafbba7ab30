"""Background jobs for locality meetings (run by django-q2's worker; inline in tests)."""

from . import services


def build_meeting_agendas() -> int:
    """Nightly: create each locality's next meeting if missing, and build upcoming agendas."""
    return len(services.build_upcoming_agendas())


def refresh_todays_agendas() -> int:
    """Just before the meeting on its day: refresh today's agendas."""
    return len(services.refresh_todays_agendas())
