"""The append-only, hash-chained audit log: who read or changed what, when and why."""

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    DENY = "deny", "Denied"
    BREAK_GLASS = "break_glass", "Break-glass access"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    LEGAL_HOLD = "legal_hold", "Legal hold placed"
    RELEASE_HOLD = "release_hold", "Legal hold released"
    DISPOSE = "dispose", "Disposed of"


class AuditEntry(models.Model):
    """One audited action. Rows are never updated or deleted; each carries the previous hash.

    Only ids and actions are kept here, never special-category values, so the log itself is
    not a second copy of the children's records.
    """

    sequence = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Room for the longer action names the domain apps use (e.g. "refer_without_consent").
    action = models.CharField(max_length=60, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_ids = models.JSONField(default=list, blank=True)
    purpose = models.CharField(max_length=60, blank=True)
    outcome = models.CharField(max_length=20, default="ok")
    request_id = models.CharField(max_length=36, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["object_type", "at"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return f"Audit entry {self.sequence}"


class ChainHead(models.Model):
    """The single row that serialises appends: locked for update by each audited transaction."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"Chain head at {self.sequence}"
