"""Partner feeds: who may send, what arrived (raw, first), and what became of each message."""

import hashlib

from django.conf import settings
from django.db import models

from saferoptions.core import clock
from saferoptions.events.models import EventType


class ProviderReport(models.TextChoices):
    """Feeds that are not events: a programme's provider reports on its own referrals
    (`provider_reports.py`; the interventions services hold the rules)."""

    PROGRAMME_SESSION = "programme_session", "Programme session"
    PROGRAMME_OUTCOME = "programme_outcome", "Programme outcome"


# One feed per event type (the names partners use are the same), then the providers' reports.
FeedType = models.TextChoices(
    "FeedType", [(m.name, (m.value, m.label)) for m in (*EventType, *ProviderReport)])


def feeds_for_agency(agency) -> list[str]:
    """The feeds an agency of its kind may send, by API or file: `FEEDS_BY_AGENCY_KIND`."""
    allowed = settings.FEEDS_BY_AGENCY_KIND.get(agency.kind, ())
    return [feed for feed in FeedType.values if feed in allowed]


def hash_token(token: str) -> str:
    """SHA-256 of a credential: tokens are long random strings, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


class PartnerSystem(models.Model):
    """A partner's sending system: one credential, one agency, the feed types it may send."""

    name = models.CharField(max_length=120, unique=True)
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    feed_types = models.JSONField(default=list, help_text="Feed types this system may send.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=8, editable=False, help_text="First characters.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def allows(self, feed_type: str) -> bool:
        """Active, given this feed, and its agency's kind may send it (a credential given a
        feed before the table said otherwise is held to the table)."""
        return (self.is_active and feed_type in self.feed_types
                and feed_type in feeds_for_agency(self.agency))


class BatchSource(models.TextChoices):
    API = "api", "API"
    FILE = "file", "File import"


class Batch(models.Model):
    """One delivery of many messages (a file or an API batch), with its ledger."""

    feed_type = models.CharField(max_length=24, choices=FeedType.choices)
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        PartnerSystem, on_delete=models.PROTECT, null=True, blank=True, related_name="batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=4, choices=BatchSource.choices)
    filename = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField()
    received = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"Batch {self.pk}"


class MessageStatus(models.TextChoices):
    RECEIVED = "received", "Received, not yet processed"
    ACCEPTED = "accepted", "Accepted"
    QUARANTINED = "quarantined", "Quarantined"


class InboxMessage(models.Model):
    """A message exactly as it arrived, stored before anything else happens to it."""

    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        PartnerSystem, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    row_number = models.PositiveIntegerField(null=True, blank=True)
    feed_type = models.CharField(max_length=24, choices=FeedType.choices)
    # Empty only for a quarantined row whose key clashed with another message's.
    idempotency_key = models.CharField(max_length=100, blank=True)
    body_hash = models.CharField(max_length=64)
    raw = models.BinaryField()
    content_type = models.CharField(max_length=8, default="json")  # json | csv
    status = models.CharField(
        max_length=12, choices=MessageStatus.choices, default=MessageStatus.RECEIVED
    )
    errors = models.JSONField(default=list, blank=True, help_text="[{row, field, reason}]")
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    replayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["partner", "received_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="inbox_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} ({self.status})"

    @property
    def raw_text(self) -> str:
        return bytes(self.raw).decode("utf-8", errors="replace")


class MessageCorrection(models.Model):
    """A quarantined message as it was before a person corrected it, kept beside the message.

    Correcting replaces the message's bytes so it can be replayed; what the partner actually
    sent, and why it was refused, must not be lost with them (a correction can be wrong, and
    the partner's error is what gets fixed at source).
    """

    message = models.ForeignKey(InboxMessage, on_delete=models.CASCADE,
                                related_name="corrections")
    raw_before = models.BinaryField()
    body_hash_before = models.CharField(max_length=64)
    errors_before = models.JSONField(default=list, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    corrected_at = models.DateTimeField()

    class Meta:
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"correction of message {self.message_id} at {self.corrected_at:%Y-%m-%d %H:%M}"

    @property
    def raw_text(self) -> str:
        return bytes(self.raw_before).decode("utf-8", errors="replace")
