"""Background jobs for interventions (run by django-q2's worker; inline in tests)."""

from django.db import transaction

from . import services


def offer_waiting_places() -> int:
    """Monthly: each area's new places go to its waiting list, in order; returns how many."""
    with transaction.atomic():
        return services.offer_waiting_places(actor=None)
