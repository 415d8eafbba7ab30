"""Clocks: started by triggers (once per trigger), met by the meeting or decision they wait for."""

import datetime as dt

from django.db import transaction

from saferoptions.core import clock

from .. import timescales
from ..models import CaseMeeting, ClockKind, Concern, MeetingKind, NrmReferral, StatutoryClock
from .common import Refused, audit

MEETING_CLOCK = {  # the clock a meeting meets
    MeetingKind.STRATEGY_DISCUSSION: ClockKind.STRATEGY_DISCUSSION,
    MeetingKind.INITIAL_CONFERENCE: ClockKind.INITIAL_CONFERENCE,
    MeetingKind.CORE_GROUP: ClockKind.CORE_GROUP,
    MeetingKind.REVIEW_CONFERENCE: ClockKind.REVIEW_CONFERENCE,
}


def start_clock(*, kind, key, person, started_at, due_at, locality=None,
                owner=None) -> StatutoryClock:
    """Start a clock once per key (a second start with the same key returns the first)."""
    found, _ = StatutoryClock.objects.get_or_create(key=key, defaults={
        "kind": kind, "person": person, "started_at": started_at, "due_at": due_at,
        "owner": owner, "locality": locality or getattr(person, "locality", None),
    })
    return found


def meet_clock(*, key: str, met_at, late_reason: str = "") -> int:
    return StatutoryClock.objects.filter(key=key, met_at__isnull=True).update(
        met_at=met_at, late_reason=late_reason)


def _meet_open(person, kind, met_at) -> list[int]:
    clocks = list(StatutoryClock.objects.filter(person=person, kind=kind, met_at__isnull=True))
    for c in clocks:
        meet_clock(key=c.key, met_at=met_at)
    return [c.pk for c in clocks]


def record_meeting(*, actor, person, kind: str, held_on: dt.date, discussion: str) -> CaseMeeting:
    """Record a meeting: it meets the clock waiting for it and starts the ones that follow."""
    if kind not in MeetingKind.values:
        raise Refused("kind", "Choose the kind of meeting.")
    if held_on > clock.today():
        raise Refused("held_on", "The date of the meeting must be today or in the past.")
    if not (discussion or "").strip():
        raise Refused("discussion", "Record what was discussed.")
    with transaction.atomic():
        meeting = CaseMeeting.objects.create(person=person, kind=kind, held_on=held_on,
                                             discussion=discussion.strip(), recorded_by=actor,
                                             recorded_at=clock.now())
        met = _meet_open(person, MEETING_CLOCK[kind], timescales.end_of_day(held_on)) \
            if kind in MEETING_CLOCK else []
        started = [c.pk for c in _next_clocks(meeting, actor)]
        audit(actor, "create", "case_meeting", [meeting.pk], person=person.pk, met=met,
              started=started)
    return meeting


def _next_clocks(meeting: CaseMeeting, actor) -> list[StatutoryClock]:
    return [start_clock(kind=kind, key=key, person=meeting.person, started_at=start,
                        due_at=due, owner=actor)
            for kind, key, start, due in planned_clocks(meeting)]


def planned_clocks(meeting: CaseMeeting) -> list[tuple]:
    """(kind, key, started_at, due_at) of the clocks a meeting starts: strategy discussion ->
    initial conference; initial -> core group and first review; review -> the next review."""
    on, now = meeting.held_on, clock.now()
    plan = []
    if meeting.kind == MeetingKind.STRATEGY_DISCUSSION:
        plan.append((ClockKind.INITIAL_CONFERENCE, timescales.initial_conference_due(on)))
    elif meeting.kind == MeetingKind.INITIAL_CONFERENCE:
        plan.append((ClockKind.CORE_GROUP, timescales.core_group_due(on)))
        plan.append((ClockKind.REVIEW_CONFERENCE,
                     timescales.review_conference_due(on, first=True)))
    elif meeting.kind == MeetingKind.REVIEW_CONFERENCE:
        plan.append((ClockKind.REVIEW_CONFERENCE,
                     timescales.review_conference_due(on, first=False)))
    start = timescales.end_of_day(on) if on < clock.today() else now
    return [(kind, f"{kind}:meeting:{meeting.pk}", min(start, due), due) for kind, due in plan]


def open_return_home_interview(*, event, person, owner=None) -> StatutoryClock | None:
    """A missing episode has ended: the return home interview is due 72 hours after return."""
    if event.ended_at is None:
        return None  # still missing: the clock starts at the return
    key = f"rhi:event:{event.pk}:{person.pk}"
    existing = StatutoryClock.objects.filter(key=key).first()
    if existing is not None:  # a redelivered event: nothing new to start or audit
        return existing
    returned = timescales.duty_starts_at(event)  # the same start as the interview's task
    with transaction.atomic():
        found = start_clock(
            kind=ClockKind.RETURN_HOME_INTERVIEW, key=key,
            person=person, owner=owner, started_at=returned,
            due_at=timescales.return_home_interview_due(returned))
        audit(None, "create", "statutory_clock", [found.pk], purpose="clock",
              event=event.pk, person=person.pk)
    return found


def record_return_home_interview(*, actor, clock_row: StatutoryClock, held_at,
                                 late_reason: str = "") -> StatutoryClock:
    """The interview was offered or held: a late one needs a reason."""
    if held_at > clock.now():
        raise Refused("held_at", "The interview time must be now or in the past.")
    if held_at > clock_row.due_at and not (late_reason or "").strip():
        raise Refused("late_reason", "The interview was late: say why.")
    with transaction.atomic():
        meet_clock(key=clock_row.key, met_at=held_at, late_reason=(late_reason or "").strip())
        audit(actor, "update", "statutory_clock", [clock_row.pk], met=True)
    clock_row.refresh_from_db()
    return clock_row


def record_nrm_referral(*, actor, person, referred_on: dt.date) -> NrmReferral:
    """An NRM referral: the reasonable grounds decision is expected within 5 working days."""
    if referred_on > clock.today():
        raise Refused("referred_on", "The referral date must be today or in the past.")
    with transaction.atomic():
        referral = NrmReferral.objects.create(person=person, referred_on=referred_on,
                                              recorded_by=actor)
        start_clock(kind=ClockKind.NRM_REASONABLE_GROUNDS, key=f"nrm-rg:{referral.pk}",
                    person=person, owner=actor, started_at=timescales.end_of_day(referred_on),
                    due_at=timescales.nrm_reasonable_grounds_due(referred_on))
        audit(actor, "create", "nrm_referral", [referral.pk], person=person.pk)
    return referral


def record_nrm_decision(*, actor, referral: NrmReferral, stage: str, decided_on: dt.date,
                        outcome: str) -> NrmReferral:
    """A reasonable or conclusive grounds decision; a positive reasonable one starts the next."""
    if stage not in ("reasonable", "conclusive") or outcome not in ("positive", "negative"):
        raise Refused("outcome", "Choose the decision and whether it was positive or negative.")
    if decided_on < referral.referred_on or decided_on > clock.today():
        raise Refused("decided_on", "The decision date must be between the referral and today.")
    with transaction.atomic():
        referral = NrmReferral.objects.select_for_update().get(pk=referral.pk)
        if referral.is_withdrawn:
            raise Refused("outcome", "This referral was withdrawn: it takes no decisions.")
        setattr(referral, f"{stage}_grounds", outcome)
        setattr(referral, f"{stage}_grounds_on", decided_on)
        referral.save()
        key = f"nrm-{'rg' if stage == 'reasonable' else 'cg'}:{referral.pk}"
        meet_clock(key=key, met_at=timescales.end_of_day(decided_on))
        if stage == "reasonable" and outcome == "positive":
            start_clock(kind=ClockKind.NRM_CONCLUSIVE_GROUNDS, key=f"nrm-cg:{referral.pk}",
                        person=referral.person, owner=actor,
                        started_at=timescales.end_of_day(decided_on),
                        due_at=timescales.nrm_conclusive_grounds_due(decided_on))
        audit(actor, "update", "nrm_referral", [referral.pk], stage=stage, outcome=outcome)
    return referral


def follow_child(changes: dict, *, actor=None) -> None:
    """The child moved locality: their open clocks and open concerns move with them.

    Registered with `people.localities.follow_locality`; `changes` maps person id -> new
    locality id. A child who lost their locality keeps their work where it was, so it never
    falls out of every queue.
    """
    by_locality: dict[int, list[int]] = {}
    for person_id, locality_id in changes.items():
        if locality_id is not None:
            by_locality.setdefault(locality_id, []).append(person_id)
    for locality_id, people in by_locality.items():
        clocks = StatutoryClock.objects.filter(person_id__in=people, met_at__isnull=True) \
            .exclude(locality_id=locality_id)
        concerns = Concern.objects.filter(person_id__in=people, outcome="") \
            .exclude(locality_id=locality_id)
        moved_clocks = list(clocks.values_list("pk", flat=True))
        moved_concerns = list(concerns.values_list("pk", flat=True))
        StatutoryClock.objects.filter(pk__in=moved_clocks).update(locality_id=locality_id)
        Concern.objects.filter(pk__in=moved_concerns).update(locality_id=locality_id)
        if moved_clocks:
            audit(actor, "update", "statutory_clock", moved_clocks, purpose="clock",
                  locality=locality_id, follows="child's locality")
        if moved_concerns:
            audit(actor, "update", "concern", moved_concerns, purpose="triage",
                  locality=locality_id, follows="child's locality")
