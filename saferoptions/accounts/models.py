"""What sign-in needs to remember: failed attempts (for lock-out) and each user's sessions."""

from django.conf import settings
from django.db import models


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
