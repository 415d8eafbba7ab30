"""A child's referral to a programme: consent, eligibility, a place or the waiting list, and after.

Each function is one state change: the acting user as `actor=`, one transaction (the caller's
`transaction.atomic()` or the view's), one audit row with ids only.
"""

import datetime as dt

from django.db import transaction

from saferoptions.access import policy
from saferoptions.core import clock

from .. import eligibility
from ..facts import area_for, child_facts, rules_of, this_month
from ..models import Programme, ProgrammeProvider, Referral, RiskJudgement, Session
from ..vocabulary import Consent, EndReason, Need, ReferralStatus, RiskLevel
from .capacity import locked_month, return_place, serve_waiting
from .common import Refused, audit

OPEN = (ReferralStatus.WAITING, *(ReferralStatus.SENT, ReferralStatus.ACCEPTED,
                                  ReferralStatus.STARTED))
PARENT_CONSENT_UNDER = 16


def record_risk_judgement(*, actor, person, level: str, needs, plan=None,
                          assessment=None) -> RiskJudgement:
    """The practitioner's judgement of risk and needs, as recorded on the plan or assessment."""
    if level not in RiskLevel.values:
        raise Refused("level", "Choose the risk level recorded for the child")
    unknown = set(needs) - set(Need.values)
    if unknown:
        raise Refused("needs", "Choose needs from the list")
    row = RiskJudgement.objects.create(person=person, level=level, needs=sorted(set(needs)),
                                       plan=plan, assessment=assessment, recorded_by=actor)
    audit(actor, "record_risk_judgement", "risk_judgement", [row.pk], purpose="direct_work",
          person=person.pk)
    return row


def parent_consent_needed(programme: Programme, age: int | None) -> bool:
    """Under 16 (or age not known) or the programme asks for it: a parent's consent too."""
    return programme.parent_consent_always or age is None or age < PARENT_CONSENT_UNDER


def _check_consent(needed: bool, young_person: str, parent: str, without_reason: str) -> None:
    if young_person not in Consent.values:
        raise Refused("young_person_consent", "Record whether the young person consents")
    if needed and parent not in Consent.values:
        raise Refused("parent_consent", "Record whether a parent consents: the child is under "
                                        "16 or the programme asks for it")
    missing = young_person != Consent.GIVEN or (needed and parent != Consent.GIVEN)
    if missing and len(without_reason.strip()) < 20:
        raise Refused("without_consent_reason", "Consent is not given: to proceed without it, "
                                                "give the reason (at least 20 characters)")


def _check_eligible(verdict, ineligible_reason: str) -> None:
    if verdict.eligible:
        return
    failed = "; ".join(r.why for r in verdict.failed)
    if len(ineligible_reason.strip()) < 20:
        raise Refused("ineligible_reason", f"The child does not meet this programme's rules "
                                           f"({failed}): to refer anyway, give the reason "
                                           "(at least 20 characters)")


def _provider(programme: Programme, team_id) -> ProgrammeProvider:
    provider = programme.providers.filter(team_id=team_id).select_related("team").first()
    if provider is None:
        raise Refused("team", "Choose one of the programme's providers")
    return provider


def _not_own_team_by_break_glass(actor, person, provider: ProgrammeProvider) -> None:
    """A break-glass grant is for reading. An open referral is its provider team's work with the
    child (the policy reads it like the team around the child): made to the holder's own team
    under a 24-hour grant, it would keep the record for them and their team long after."""
    if provider.team_id is None or provider.team_id != actor.team_id:
        return
    decision = policy.decision_for(actor, person)
    if decision is not None and decision.purposes <= {policy.Purpose.BREAK_GLASS}:
        raise Refused("team", "You can see this child only through a break-glass grant, which "
                              "is for reading: it cannot refer them to your own team. Ask "
                              "someone who works with them to make the referral.")


def refer(*, actor, person, programme: Programme, team_id, route_in: str, reason: str,
          young_person_consent: str, parent_consent: str = "",
          without_consent_reason: str = "", ineligible_reason: str = "",
          decision=None) -> Referral:
    """Refer the child: a place this month if one is free (after anyone waiting), else wait.

    `decision` is the referrer's access decision for the child: with it, needs the records they
    may see show count for eligibility as on "find support" (facts.child_facts)."""
    if not programme.is_active or not programme.takes_referrals:
        raise Refused("programme", "This programme does not take referrals")
    if not reason.strip():
        raise Refused("reason", "Enter why this programme, for this child, now")
    provider = _provider(programme, team_id)
    _not_own_team_by_break_glass(actor, person, provider)
    facts = child_facts(person, route_in=route_in, decision=decision)
    verdict = eligibility.evaluate(rules_of(programme), facts)
    needed = parent_consent_needed(programme, facts.age)
    _check_consent(needed, young_person_consent, parent_consent, without_consent_reason)
    _check_eligible(verdict, ineligible_reason)
    area = area_for(programme, person.locality_id) or programme.areas.order_by("pk").first()
    if area is None:
        raise Refused("programme", "This programme has no places anywhere yet")
    with transaction.atomic():
        row = locked_month(area, this_month())
        if Referral.objects.filter(person=person, programme=programme, status__in=OPEN).exists():
            raise Refused("programme", "The child already has an open referral to this "
                                       "programme")
        referral = Referral.objects.create(
            person=person, programme=programme, team=provider.team, area=area,
            route_in=route_in, status=ReferralStatus.WAITING, referred_by=actor,
            reason=reason.strip(), young_person_consent=young_person_consent,
            parent_consent=parent_consent if needed else "", parent_consent_needed=needed,
            without_consent_reason=without_consent_reason.strip(),
            ineligible_reason="" if verdict.eligible else ineligible_reason.strip(),
            failed_rules=[r.rule for r in verdict.failed])
        serve_waiting(row)  # anyone already waiting goes first
        referral.refresh_from_db()
        _audit_referral(actor, referral, verdict)
    return referral


def _audit_referral(actor, referral: Referral, verdict) -> None:
    audit(actor, "refer", "intervention_referral", [referral.pk], purpose="direct_work",
          person=referral.person_id, programme=referral.programme_id, status=referral.status)
    if referral.without_consent_reason:
        audit(actor, "refer_without_consent", "intervention_referral", [referral.pk],
              purpose="direct_work", person=referral.person_id)
    if not verdict.eligible:
        audit(actor, "refer_ineligible", "intervention_referral", [referral.pk],
              purpose="direct_work", failed=[r.rule for r in verdict.failed])


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _provider_only(actor, referral: Referral) -> None:
    if actor.team_id != referral.team_id:
        raise Refused("referral", "Only the provider's team can do this")


def accept(*, actor, referral: Referral) -> Referral:
    referral = _locked(referral)
    _provider_only(actor, referral)
    if referral.status != ReferralStatus.SENT:
        raise Refused("referral", f"Only a referral sent to you can be accepted; this one is "
                                  f"{referral.get_status_display().lower()}")
    referral.status, referral.decided_by = ReferralStatus.ACCEPTED, actor
    referral.save(update_fields=["status", "decided_by"])
    audit(actor, "accept", "intervention_referral", [referral.pk], purpose="direct_work")
    return referral


def decline(*, actor, referral: Referral, reason: str) -> Referral:
    """The provider declines with a reason; the place goes to the first waiting child."""
    referral = _locked(referral)
    _provider_only(actor, referral)
    if referral.status != ReferralStatus.SENT:
        raise Refused("referral", "Only a referral sent to you can be declined")
    if len(reason.strip()) < 5:
        raise Refused("decline_reason", "Enter why the referral is declined")
    referral.status, referral.decided_by = ReferralStatus.DECLINED, actor
    referral.decline_reason = reason.strip()
    referral.save(update_fields=["status", "decided_by", "decline_reason"])
    served = return_place(referral)
    audit(actor, "decline", "intervention_referral", [referral.pk], purpose="direct_work",
          served=served)
    return referral


def start(*, actor, referral: Referral, started_on: dt.date) -> Referral:
    """Work starts; an ended or declined referral never restarts (make a new one)."""
    referral = _locked(referral)
    _provider_only(actor, referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise Refused("started_on", "Only an accepted referral can start; an ended or declined "
                                    "one cannot restart: make a new referral")
    if started_on > clock.today():
        raise Refused("started_on", "The start date cannot be in the future")
    referral.status, referral.started_on = ReferralStatus.STARTED, started_on
    referral.save(update_fields=["status", "started_on"])
    audit(actor, "start", "intervention_referral", [referral.pk], purpose="direct_work")
    return referral


def end(*, actor, referral: Referral, reason: str, outcome: str = "") -> Referral:
    """Completed or disengaged (after starting, the provider); moved or withdrawn (any time)."""
    referral = _locked(referral)
    if reason not in EndReason.values:
        raise Refused("end_reason", "Choose why the referral ends")
    if referral.status in (ReferralStatus.DECLINED, ReferralStatus.ENDED):
        raise Refused("end_reason", "This referral has already ended")
    after_start = reason in (EndReason.COMPLETED, EndReason.DISENGAGED)
    if after_start and referral.status != ReferralStatus.STARTED:
        raise Refused("end_reason", "Only work that started can be completed or disengaged from")
    if after_start or referral.status == ReferralStatus.STARTED:
        _provider_only(actor, referral)
    served = [] if referral.status == ReferralStatus.STARTED else return_place(referral)
    referral.status, referral.end_reason = ReferralStatus.ENDED, reason
    referral.ended_on, referral.outcome = clock.today(), outcome.strip()
    referral.save(update_fields=["status", "end_reason", "ended_on", "outcome"])
    audit(actor, "end", "intervention_referral", [referral.pk], purpose="direct_work",
          reason=reason, served=served)
    return referral


def record_session(*, actor, referral: Referral, held_on: dt.date, attended: bool,
                   note: str = "") -> Session:
    referral = _locked(referral)
    _provider_only(actor, referral)
    if referral.status not in (ReferralStatus.ACCEPTED, ReferralStatus.STARTED):
        raise Refused("held_on", "Sessions are recorded for accepted or started referrals")
    if held_on > clock.today():
        raise Refused("held_on", "The session date cannot be in the future")
    row = Session.objects.create(referral=referral, held_on=held_on, attended=attended,
                                 note=note.strip(), recorded_by=actor)
    audit(actor, "record_session", "intervention_session", [row.pk], purpose="direct_work",
          referral=referral.pk)
    return row
