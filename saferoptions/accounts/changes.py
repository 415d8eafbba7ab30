"""Every change to someone else's account, each in one transaction with its audit row.

A change that widens reach, a new account, and any reset of a second factor, is a proposal
until a second, different authorised person approves it (`reach.py`). Nobody changes their own
account here. No password is ever typed or seen by an administrator: the one-time link to set
one goes by email to the person's own work address, never onto the administrator's screen
(whoever holds the link of an account with no authenticator yet could take the account).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Role

from . import reach, sessions
from .models import AccountChange
from .reach import Placement

SELF_CHANGE = "You cannot change your own account. Ask another system administrator."
NOT_ALLOWED = "Only a system administrator can do this."
# Why a new account waits for a second person even when its role widens nothing: the one who
# adds it must not be the only one vouching that the person, and their email address, are real.
NEW_ACCOUNT = ("a new account: check the person is real and the email address is their own "
               "work address (their password link goes there)")


class AccountChangeRefused(ValueError):
    """The change cannot be made as asked; the message names the field and the reason."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field


def _refuse(*, actor, user, action: str, field: str | None, message: str, **detail):
    # A refused attempt is audited (its own transaction: nothing else was written).
    with transaction.atomic():
        record(actor=actor, action=action, object_type="user",
               object_ids=[user.pk] if user is not None else [], outcome="denied",
               detail={"refused": message, **detail})
    raise AccountChangeRefused(field, message)


def _check_manager(*, actor, user, action: str) -> None:
    if not reach.may_manage(actor):
        _refuse(actor=actor, user=user, action=action, field=None, message=NOT_ALLOWED)
    if user is not None and user.pk == actor.pk:
        _refuse(actor=actor, user=user, action=action, field=None, message=SELF_CHANGE)


def _apply(user, placement: Placement) -> None:
    user.role = placement.role
    user.agency_id, user.team_id = placement.agency_id, placement.team_id
    user.locality_id, user.is_active = placement.locality_id, placement.is_active
    # The admin (reference data) opens to system administrators only; never superuser.
    user.is_staff = placement.role == Role.SYSTEM_ADMINISTRATOR and placement.is_active
    user.save(update_fields=["role", "agency", "team", "locality", "is_active", "is_staff"])


def _propose(*, actor, user, kind: str, after: Placement | None, reasons, note: str):
    before = Placement.of(user)
    target = after or before
    change = AccountChange.objects.create(
        user=user, kind=kind, role=target.role, agency_id=target.agency_id,
        team_id=target.team_id, locality_id=target.locality_id, is_active=target.is_active,
        before=before.as_dict(), reasons=list(reasons), note=note, proposed_by=actor,
        proposed_at=clock.now())
    record(actor=actor, action="create", object_type="account_change", object_ids=[change.pk],
           purpose="configuration", detail={"user": user.pk, "kind": kind, "role": target.role})
    return change


def create_account(*, actor, username: str, first_name: str, last_name: str, email: str,
                   placement: Placement, note: str):
    """A new account with no role, password or second factor until a second person approves.

    Every new account is a proposal, whatever its role: the person who adds it could otherwise
    give it their own email address, send it a password link and sign in as a practitioner.
    Returns (user, pending change).
    """
    _check_manager(actor=actor, user=None, action="create")
    users = get_user_model().objects
    if users.filter(username__iexact=username).exists():
        raise AccountChangeRefused("username", "That username is already taken: choose another")
    if users.filter(email__iexact=email).exists():
        raise AccountChangeRefused("email", "That email address is another account's: each "
                                            "person's password link goes to their own address")
    reasons = [NEW_ACCOUNT, *reach.widening_reasons(None, placement)]
    with transaction.atomic():
        user = users.model(username=username, first_name=first_name, last_name=last_name,
                           email=email)
        user.set_unusable_password()
        user.save()
        _apply(user, Placement("", placement.agency_id, placement.team_id,
                               placement.locality_id))
        record(actor=actor, action="create", object_type="user", object_ids=[user.pk],
               purpose="configuration", detail={"role": "", "pending": True})
        change = _propose(actor=actor, user=user, kind=AccountChange.Kind.PLACEMENT,
                          after=placement, reasons=reasons, note=note)
    return user, change


def change_placement(*, actor, user, placement: Placement, note: str):
    """Change role, agency, team, locality or active: at once if it narrows, else proposed.

    Returns the pending change, or None if it took effect now.
    """
    _check_manager(actor=actor, user=user, action="update")
    before = Placement.of(user)
    if placement == before:
        raise AccountChangeRefused(None, "Nothing has changed: change at least one answer")
    reasons = reach.widening_reasons(before, placement)
    with transaction.atomic():
        if reasons:
            return _propose(actor=actor, user=user, kind=AccountChange.Kind.PLACEMENT,
                            after=placement, reasons=reasons, note=note)
        _apply(user, placement)
        record(actor=actor, action="update", object_type="user", object_ids=[user.pk],
               purpose="configuration",
               detail={"before": before.as_dict(), "after": placement.as_dict()})
    return None


def propose_second_factor_reset(*, actor, user, note: str) -> AccountChange:
    """Ask for someone's authenticator to be removed, so they set one up at next sign-in.

    Always a proposal: with a reset second factor and a password link, one person could
    otherwise sign in as anyone.
    """
    _check_manager(actor=actor, user=user, action="update")
    with transaction.atomic():
        return _propose(actor=actor, user=user, kind=AccountChange.Kind.SECOND_FACTOR,
                        after=None, reasons=["resets the authenticator app"], note=note)


def approve(*, actor, change: AccountChange, note: str = "") -> None:
    """A second, different authorised person approves: the change takes effect now."""
    _check_decider(actor=actor, change=change, action="update")
    user = change.user
    if Placement.of(user).as_dict() != change.before:
        raise AccountChangeRefused(None, "The account has changed since this was proposed. "
                                         "Refuse it and propose the change again")
    with transaction.atomic():
        if change.kind == AccountChange.Kind.SECOND_FACTOR:
            removed = TOTPDevice.objects.filter(user=user).delete()[0]
            sessions.end_all(user)
            detail = {"devices_removed": removed}
        else:
            _apply(user, Placement(change.role, change.agency_id, change.team_id,
                                   change.locality_id, change.is_active))
            detail = {"before": change.before, "role": change.role}
        _decide(change, actor, AccountChange.State.APPROVED, note)
        record(actor=actor, action="update", object_type="user", object_ids=[user.pk],
               purpose="configuration", detail={"change": change.pk, "kind": change.kind,
                                                "approved": True, **detail})


def refuse(*, actor, change: AccountChange, note: str) -> None:
    """A second person refuses: nothing changes."""
    _check_decider(actor=actor, change=change, action="update")
    with transaction.atomic():
        _decide(change, actor, AccountChange.State.REFUSED, note)
        record(actor=actor, action="update", object_type="account_change",
               object_ids=[change.pk], purpose="configuration", detail={"refused": True})


def _check_decider(*, actor, change, action) -> None:
    if not reach.may_approve(actor):
        _refuse(actor=actor, user=change.user, action=action, field=None,
                message="Only a system administrator or the data protection officer can "
                        "decide on account changes.")
    if actor.pk in (change.proposed_by_id, change.user_id):
        _refuse(actor=actor, user=change.user, action=action, field=None,
                message="Someone other than the proposer and the account's owner must decide "
                        "on this change.", change=change.pk)
    if change.state != AccountChange.State.PENDING:
        raise AccountChangeRefused(None, "This change has already been decided")


def _decide(change, actor, state, note) -> None:
    change.state, change.decided_by, change.decided_at = state, actor, clock.now()
    change.decision_note = note
    change.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])


def masked(email: str) -> str:
    """Enough of an address for the administrator to tell the person where to look."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def send_password_link(*, actor, user, absolute) -> str:
    """Email the person a one-time link to set their own password; returns the masked address.

    The link goes to the account's own address and is never shown to the administrator: for
    an account with no authenticator yet, whoever holds it could set it up and sign in as the
    person. It stops working once used (the token covers the password hash) or after
    PASSWORD_RESET_TIMEOUT. `absolute` turns the link's path into a full address.
    """
    _check_manager(actor=actor, user=user, action="create")
    if not user.role:
        _refuse(actor=actor, user=user, action="create", field=None,
                message="This account has no role yet: its link can be sent once a second "
                        "person has approved the account.")
    if not user.email:
        _refuse(actor=actor, user=user, action="create", field=None,
                message="This account has no email address, so there is nowhere safe to send "
                        "the link: add the person again with their own work email address, "
                        "and disable this account.")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = absolute(reverse("accounts:set-password",
                            args=[uid, default_token_generator.make_token(user)]))
    with transaction.atomic():
        record(actor=actor, action="create", object_type="password_link", object_ids=[user.pk],
               purpose="configuration", detail={"sent_to": masked(user.email)})
        transaction.on_commit(lambda: send_mail(
            subject="Set your Safer Options password",
            message=(f"A Safer Options account is ready for you ({user.username}). Set your "
                     f"own password with this link; it works once:\n\n{link}\n\nThen sign in "
                     "and set up your authenticator app. If you did not expect this, tell "
                     "your data protection officer."),
            from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[user.email]))
    return masked(user.email)


def set_own_password(*, user, form) -> None:
    """The user sets their password from a link; every session they had ends."""
    with transaction.atomic():
        form.save()
        record(actor=user, action="update", object_type="password", object_ids=[user.pk])
    sessions.end_all(user)
