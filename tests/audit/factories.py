"""Chains of audit entries for audit tests (the people who act come from tests.core.factories)."""

from django.db import transaction

from saferoptions.audit.services import record


def append_entries(count: int, *, actor=None, object_type: str = "person") -> list:
    """Append `count` entries through the real writer, each in its own transaction."""
    entries = []
    for n in range(count):
        with transaction.atomic():
            entries.append(
                record(
                    actor=actor,
                    action="view" if n % 3 else "list",
                    object_type=object_type,
                    object_ids=[n, n + 1000],
                    purpose="direct_work",
                    detail={"n": n, "page": [n % 7]},
                )
            )
    return entries
