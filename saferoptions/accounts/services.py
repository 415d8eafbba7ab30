"""Every change sign-in makes, each in one transaction with its audit row.

Audit rows carry keyed hashes of what was typed, never the typed username itself.
"""

import django_otp
from django.contrib.auth import get_user_model, login, logout
from django.db import transaction

from saferoptions.audit.services import record

from . import lockout

SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_OUT = "sign_out"
LOCK_OUT = "lock_out"


def _attempt_detail(username: str, address: str, **extra) -> dict:
    return {
        "username_hash": lockout.username_hash(username)[:16],
        "address_hash": lockout.address_hash(address)[:16],
        **extra,
    }


def _known_user(username: str):
    return get_user_model().objects.filter(username=username).first()


def record_failed_sign_in(*, username: str, address: str, stage: str) -> bool:
    """Count and audit one failed attempt; returns True if the account or address is now locked."""
    with transaction.atomic():
        actor = _known_user(username)
        lockout.forget_old_failures()  # keeps the table to the window that matters
        locked = lockout.add_failure(username=username, address=address, stage=stage)
        record(actor=actor, action=SIGN_IN_FAILED, outcome="denied",
               detail=_attempt_detail(username, address, stage=stage))
        if locked:
            record(actor=actor, action=LOCK_OUT, outcome="denied",
                   detail=_attempt_detail(username, address, stage=stage))
    return locked


def record_locked_attempt(*, username: str, address: str) -> None:
    """Audit an attempt refused because of a lock-out (not counted again, so the lock ends)."""
    with transaction.atomic():
        record(actor=_known_user(username), action=SIGN_IN_FAILED, outcome="denied",
               detail=_attempt_detail(username, address, stage="locked"))


def confirm_device(*, actor, device) -> None:
    """Make a newly set-up authenticator the user's one-time code device."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        type(device).objects.filter(user=actor, confirmed=False).delete()
        record(actor=actor, action="create", object_type="totp_device", object_ids=[device.pk])


def complete_sign_in(request, *, actor, device, address: str) -> None:
    """Sign the user in after password and code, and audit it."""
    with transaction.atomic():
        login(request, actor, backend="django.contrib.auth.backends.ModelBackend")
        django_otp.login(request, device)
        lockout.clear_failures(username=actor.get_username())
        record(actor=actor, action=SIGN_IN, detail={
            "address_hash": lockout.address_hash(address)[:16], "device": device.pk,
        })


def record_own_password_change(*, actor, via: str) -> None:
    """Audit a user changing their own password (call inside the change's transaction)."""
    record(actor=actor, action="update", object_type="password", object_ids=[actor.pk],
           detail={"via": via})


def sign_out(request, *, actor, reason: str) -> None:
    """End the session (asked for, idle or too long) and audit why."""
    with transaction.atomic():
        record(actor=actor, action=SIGN_OUT, detail={"reason": reason})
        logout(request)
