"""What sign-in needs to remember: failed attempts (for lock-out) and each user's sessions."""

from django.conf import settings
from django.db import models

from saferoptions.core.models import Role


class SignInFailure(models.Model):
    """One failed sign-in attempt, kept in the database so lock-out holds across processes.

    The typed username and the client address are stored only as keyed hashes: a failed
    attempt's username may be someone's name or even a password typed in the wrong box.
    """

    at = models.DateTimeField(db_index=True)
    username_hash = models.CharField(max_length=64, db_index=True)
    address_hash = models.CharField(max_length=64, db_index=True)
    stage = models.CharField(max_length=10, default="password")  # "password" or "code"

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.stage} failure at {self.at:%Y-%m-%d %H:%M}"


class SignedInSession(models.Model):
    """A session a user signed in with, so disabling the account can end all of them at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"session of user {self.user_id}"


class AccountChange(models.Model):
    """A change to someone's account that waits for a second person before it takes effect.

    Either a new placement (role, agency, team, locality, active) that widens their reach, or
    a reset of their second factor. `before` is the placement when proposed: an approval is
    refused if the account has changed since, so an old proposal cannot undo a newer change.
    """

    class Kind(models.TextChoices):
        PLACEMENT = "placement", "Role, agency, team or locality"
        SECOND_FACTOR = "second_factor", "Reset of the authenticator app"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_changes"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    role = models.CharField(max_length=40, choices=Role.choices, blank=True)
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    locality = models.ForeignKey("core.Locality", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    is_active = models.BooleanField(default=True)
    before = models.JSONField(default=dict)
    reasons = models.JSONField(default=list, help_text="Why it needs a second person.")
    note = models.TextField(help_text="Why the change is asked for, from the proposer.")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["state", "proposed_at"])]

    def __str__(self) -> str:
        return f"account change {self.pk} ({self.state})"
