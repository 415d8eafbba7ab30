"""Every change the access area makes: break-glass grants and their review. Each is audited."""

import datetime as dt
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Role

from . import policy, registry, rules
from .categories import Purpose
from .models import BreakGlassGrant

REASON_MIN_LENGTH = 20


class BreakGlassRefused(ValueError):
    """The request cannot be recorded as given (the message names the field and the reason)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def may_break_glass(user) -> bool:
    """Only practitioners whose role allows it may ask for emergency access."""
    rule = rules.role_rule(getattr(user, "role", "")) if user.is_active else None
    return bool(rule and rule.get("break_glass"))


def request_break_glass(*, actor, person_reference: str, reason: str) -> BreakGlassGrant | None:
    """Open one record for `settings.BREAK_GLASS_HOURS`, given a reason; audited and alerted.

    The outcome is deliberately not returned to the web page: a reference to a record that
    does not exist is audited as denied, and the caller answers the same way in both cases.
    """
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise BreakGlassRefused(
            "reason", f"Give a reason of at least {REASON_MIN_LENGTH} characters."
        )
    with transaction.atomic():
        person = _person(person_reference) if may_break_glass(actor) else None
        if person is None:
            record(actor=actor, action="break_glass", object_type="person",
                   purpose=Purpose.BREAK_GLASS, outcome="denied", detail={"found": False})
            return None
        now = clock.now()
        grant = BreakGlassGrant.objects.create(
            user=actor, person=person, reason=reason, granted_at=now,
            expires_at=now + dt.timedelta(hours=settings.BREAK_GLASS_HOURS),
        )
        record(actor=actor, action="break_glass", object_type="person", object_ids=[person.pk],
               purpose=Purpose.BREAK_GLASS, detail={"grant": grant.pk})
        return grant


def _person(reference: str):
    try:
        public_id = uuid.UUID(str(reference).strip())
    except ValueError:  # a malformed reference is treated like one that does not exist
        return None
    return registry.person_model().objects.filter(public_id=public_id).first()


class BreakGlassNotAllowed(PermissionError):
    """The actor may not review or acknowledge this grant; the refusal is audited."""


def may_review(user, grant: BreakGlassGrant) -> bool:
    """Reviewers (duty `review_break_glass`) never review their own grant; the data protection
    officer reviews every grant, a team manager their own team's."""
    if grant.user_id == user.pk or not policy.has_duty(user, "review_break_glass"):
        return False
    return user.role == Role.DATA_PROTECTION_OFFICER or (
        user.team_id is not None and grant.user.team_id == user.team_id
    )


def may_acknowledge(user, grant: BreakGlassGrant) -> bool:
    """Only the child's lead professional, today, acknowledges, and never their own grant."""
    return (user.is_active and grant.user_id != user.pk
            and registry.led_by(user, clock.today()).filter(person_id=grant.person_id).exists())


def review_break_glass(*, actor, grant: BreakGlassGrant) -> BreakGlassGrant:
    """A reviewer (the duty `review_break_glass`) confirms they have seen it."""
    with _refusal_audited(actor, grant, "reviewed", Purpose.AUDIT), transaction.atomic():
        grant = BreakGlassGrant.objects.select_for_update().select_related("user").get(
            pk=grant.pk)
        if not may_review(actor, grant):
            raise BreakGlassNotAllowed("You may not review this break-glass access.")
        grant.reviewed_by, grant.reviewed_at = actor, clock.now()
        grant.save(update_fields=["reviewed_by", "reviewed_at"])
        record(actor=actor, action="update", object_type="break_glass_grant",
               object_ids=[grant.pk], purpose=Purpose.AUDIT, detail={"step": "reviewed"})
    return grant


def acknowledge_break_glass(*, actor, grant: BreakGlassGrant) -> BreakGlassGrant:
    """The child's lead professional confirms they know someone opened the record."""
    with (_refusal_audited(actor, grant, "lead_acknowledged", Purpose.DIRECT_WORK),
          transaction.atomic()):
        grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
        if not may_acknowledge(actor, grant):
            raise BreakGlassNotAllowed("Only the child's lead professional may acknowledge "
                                       "this break-glass access.")
        grant.lead_acknowledged_by, grant.lead_acknowledged_at = actor, clock.now()
        grant.save(update_fields=["lead_acknowledged_by", "lead_acknowledged_at"])
        record(actor=actor, action="update", object_type="break_glass_grant",
               object_ids=[grant.pk], purpose=Purpose.DIRECT_WORK,
               detail={"step": "lead_acknowledged"})
    return grant


@contextmanager
def _refusal_audited(actor, grant, step: str, purpose: str):
    """The service decides, not only the page: a caller that skipped the view's check (a
    script, a future API) is refused, and the attempt is audited after the refused change's
    transaction has rolled back, so the refusal's row is kept."""
    try:
        yield
    except BreakGlassNotAllowed:
        with transaction.atomic():
            record(actor=actor, action="update", object_type="break_glass_grant",
                   object_ids=[grant.pk], purpose=purpose, outcome="denied",
                   detail={"step": step})
        raise
