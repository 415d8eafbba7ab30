"""Reads for the access area: a child's access log and the break-glass review queue."""

from django.db import transaction
from django.db.models import Q

from saferoptions.audit import actions
from saferoptions.audit.selectors import access_log_for
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Role

from . import policy, registry, services
from .categories import Purpose
from .models import BreakGlassGrant

LOG_ROWS = 500


def _leads(user, person) -> bool:
    """Whether the user now leads the team around the child (registered by cases)."""
    return registry.led_by(user, clock.today()).filter(person_id=person.pk).exists()


def access_log_purpose(user, person) -> str | None:
    """Only the child's lead professional and the data protection officer see its access log."""
    if not user.is_active:
        return None
    if user.role == Role.DATA_PROTECTION_OFFICER:
        return Purpose.AUDIT
    return Purpose.DIRECT_WORK if _leads(user, person) else None


def access_log(*, user, public_id):
    """Who looked at this person's record, when and why; None (a 404) if the user may not see."""
    with transaction.atomic():
        person = registry.person_model().objects.filter(public_id=public_id).first()
        purpose = access_log_purpose(user, person) if person else None
        if purpose is None:
            record(actor=user, action="deny", object_type="access_log", outcome="denied",
                   detail={"reference": str(public_id)})
            return None
        entries = list(_entries_about(person))
        record(actor=user, action="view", object_type="access_log", object_ids=[person.pk],
               purpose=purpose, detail={"entries": [e.pk for e in entries]})
    return person, entries


def _entries_about(person) -> list:
    """The newest entries, each with its action and purpose in plain words, as the audit search
    shows them (apps register words for their own codes, e.g. "refer_without_consent")."""
    entries = list(access_log_for("person", person.pk)[:LOG_ROWS])
    for entry in entries:
        entry.action_label = actions.label(entry.action)
        entry.purpose_label = dict(Purpose.choices).get(entry.purpose, entry.purpose)
    return entries


def break_glass_alerts(*, user) -> list:
    """Grants this user should look at: as a reviewer, or as the child's lead professional.

    Each says whether this user may review it and may acknowledge it (`may_review`,
    `may_acknowledge`, as `alert_for` decides), so the page offers only the buttons that work.
    """
    with transaction.atomic():
        grants = BreakGlassGrant.objects.filter(_alerts_for(user)).select_related(
            "user", "user__agency", "person", "reviewed_by", "lead_acknowledged_by"
        ).order_by("-granted_at")[:200]
        grants = list(grants)
        led = set(registry.led_by(user, clock.today()).values_list("person_id", flat=True))
        for grant in grants:
            grant.may_review = services.may_review(user, grant)
            grant.may_acknowledge = grant.person_id in led and grant.user_id != user.pk
        record(actor=user, action="list", object_type="break_glass_grant",
               object_ids=[g.pk for g in grants], purpose=Purpose.AUDIT)
        _name_records(user, grants, led)
    return grants


# Who a grant's record is: the DPO sees everyone for oversight (audit); a team manager or
# lead professional only the children their direct work already opens.
NAMING_PURPOSES = (Purpose.AUDIT, Purpose.DIRECT_WORK)


def _name_records(user, grants: list, led: set) -> None:
    """Set each grant's `named` (the person, if the policy lets this user see them) and
    `log_open` (whether their access log opens for this user), auditing the names read."""
    ids = {g.person_id for g in grants}
    named: dict = {}
    for purpose in NAMING_PURPOSES:
        people = policy.restrict(user, "list", registry.person_model().objects.filter(
            pk__in=ids - set(named)), purpose=purpose)
        found = {p.pk: p for p in people}
        if found:
            record(actor=user, action="list", object_type="person", object_ids=sorted(found),
                   purpose=purpose, detail={"page": "break_glass_alerts"})
        named.update(found)
    for grant in grants:
        grant.named = named.get(grant.person_id)
        # As `access_log_purpose` decides: the DPO, and the child's lead professional.
        grant.log_open = grant.named is not None and (
            user.role == Role.DATA_PROTECTION_OFFICER or grant.person_id in led)


def _alerts_for(user) -> Q:
    q = Q(person_id__in=registry.led_by(user, clock.today()))
    if user.role == Role.DATA_PROTECTION_OFFICER:
        q |= Q(pk__isnull=False)
    elif policy.has_duty(user, "review_break_glass") and user.team_id:
        q |= Q(user__team_id=user.team_id)
    return q


def grant_to_review(*, user, pk: int) -> BreakGlassGrant | None:
    """One grant this user may review and nobody has yet, its record named as on the list
    (each read audited); None, as for a grant that does not exist, otherwise."""
    with transaction.atomic():
        grant = BreakGlassGrant.objects.filter(_alerts_for(user), pk=pk, reviewed_at=None) \
            .select_related("user", "user__agency", "person").first()
        if grant is None or not services.may_review(user, grant):
            return None
        record(actor=user, action="view", object_type="break_glass_grant", object_ids=[grant.pk],
               purpose=Purpose.AUDIT)
        led = set(registry.led_by(user, clock.today()).values_list("person_id", flat=True))
        _name_records(user, [grant], led)
    return grant


def alert_for(*, user, pk: int) -> tuple[BreakGlassGrant, bool, bool] | None:
    """One grant the user may act on, with whether they may review and acknowledge it."""
    grant = BreakGlassGrant.objects.filter(_alerts_for(user), pk=pk).first()
    if grant is None:
        return None
    return grant, services.may_review(user, grant), services.may_acknowledge(user, grant)
