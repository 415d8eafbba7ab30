"""Every change the access area makes: break-glass grants and their review. Each is audited."""

import datetime as dt
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Role

from . import policy, registry, rules
from .categories import Purpose
from .models import BreakGlassGrant, ReviewFinding

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
        uses = _recent_uses(actor, now) + 1
        grant = BreakGlassGrant.objects.create(
            user=actor, person=person, reason=reason, granted_at=now,
            expires_at=now + dt.timedelta(hours=settings.BREAK_GLASS_HOURS),
            recent_uses=uses, repeated_use=uses > settings.BREAK_GLASS_REPEAT_LIMIT,
        )
        record(actor=actor, action="break_glass", object_type="person", object_ids=[person.pk],
               purpose=Purpose.BREAK_GLASS,
               detail={"grant": grant.pk, "recent_uses": uses, "repeated": grant.repeated_use})
        if grant.repeated_use:
            _alert_repeated_use(actor, grant)
        return grant


def _recent_uses(actor, now) -> int:
    """The actor's grants within BREAK_GLASS_REPEAT_HOURS before now (locked: two requests at
    once each count the other)."""
    since = now - dt.timedelta(hours=settings.BREAK_GLASS_REPEAT_HOURS)
    list(get_user_model().objects.select_for_update().filter(pk=actor.pk))
    return BreakGlassGrant.objects.filter(user=actor, granted_at__gt=since).count()


def _alerted(actor):
    """Who is told at once of repeated break-glass use: every active data protection officer
    (the information governance lead) and the team managers of the actor's team."""
    who = Q(role=Role.DATA_PROTECTION_OFFICER)
    if actor.team_id:
        who |= Q(role=Role.TEAM_MANAGER, team_id=actor.team_id)
    return get_user_model().objects.filter(who, is_active=True).exclude(pk=actor.pk)


def _alert_repeated_use(actor, grant: BreakGlassGrant) -> None:
    """An email naming the practitioner and the count, never the child (it leaves the
    service): the review page shows the grants to those who may see them."""
    alerted = list(_alerted(actor).order_by("pk"))
    record(actor=actor, action="break_glass", object_type="break_glass_grant",
           object_ids=[grant.pk], purpose=Purpose.BREAK_GLASS,
           detail={"step": "repeated_use_alerted", "alerted": [u.pk for u in alerted]})
    emails = [u.email for u in alerted if u.email]
    if not emails:
        return
    message = (f"{actor.get_full_name() or actor.username} has used emergency (break-glass) "
               f"access {grant.recent_uses} times in the last "
               f"{settings.BREAK_GLASS_REPEAT_HOURS} hours, more than the "
               f"{settings.BREAK_GLASS_REPEAT_LIMIT} the partnership expects. Look at each "
               "grant and its reason now, under Break-glass reviews in Safer Options.")
    transaction.on_commit(lambda: send_mail(
        subject="Safer Options: repeated emergency access to children's records",
        message=message, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=emails,
        fail_silently=True))


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


def review_break_glass(*, actor, grant: BreakGlassGrant, finding: str,
                       note: str = "") -> BreakGlassGrant:
    """A reviewer (the duty `review_break_glass`) records whether the access was justified, and
    why. Access found not justified is told at once to the data protection officers and the
    person's team managers (as repeated use is), so it is followed up, not only filed."""
    note = note.strip()
    if finding not in ReviewFinding.values:
        raise ValueError(f"unknown finding {finding!r}")
    if finding == ReviewFinding.NOT_JUSTIFIED and not note:
        raise ValueError("access found not justified needs a note saying why")
    with _refusal_audited(actor, grant, "reviewed", Purpose.AUDIT), transaction.atomic():
        grant = BreakGlassGrant.objects.select_for_update().select_related("user").get(
            pk=grant.pk)
        if not may_review(actor, grant):
            raise BreakGlassNotAllowed("You may not review this break-glass access.")
        if grant.reviewed_at is not None:
            raise BreakGlassNotAllowed("This break-glass access has already been reviewed.")
        grant.reviewed_by, grant.reviewed_at = actor, clock.now()
        grant.review_finding, grant.review_note = finding, note
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_finding", "review_note"])
        record(actor=actor, action="update", object_type="break_glass_grant",
               object_ids=[grant.pk], purpose=Purpose.AUDIT,
               detail={"step": "reviewed", "finding": finding})
        if finding == ReviewFinding.NOT_JUSTIFIED:
            _alert_not_justified(actor, grant)
    return grant


def _alert_not_justified(reviewer, grant: BreakGlassGrant) -> None:
    """Email naming the practitioner, never the child or the reason (it leaves the service)."""
    alerted = list(_alerted(grant.user).exclude(pk=reviewer.pk).order_by("pk"))
    record(actor=reviewer, action="update", object_type="break_glass_grant",
           object_ids=[grant.pk], purpose=Purpose.AUDIT,
           detail={"step": "not_justified_alerted", "alerted": [u.pk for u in alerted]})
    emails = [u.email for u in alerted if u.email]
    if not emails:
        return
    who = grant.user.get_full_name() or grant.user.username
    message = (f"{reviewer.get_full_name() or reviewer.username} reviewed an emergency "
               f"(break-glass) access by {who} on {grant.granted_at:%d %B %Y} and found it not "
               "justified. Read the review and its notes under Break-glass reviews in Safer "
               "Options, and agree what happens next.")
    transaction.on_commit(lambda: send_mail(
        subject="Safer Options: emergency access found not justified",
        message=message, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=emails,
        fail_silently=True))


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
