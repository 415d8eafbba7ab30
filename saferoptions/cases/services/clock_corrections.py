"""Correcting or withdrawing what meets and starts clocks: meetings, NRM referrals, interviews.

The clocks follow the record as corrected: a clock is met by the meeting or decision on its
corrected date, a deadline counts from the corrected date, and a clock whose cause was
withdrawn (or corrected away) ends as not needed, so it leaves every open and overdue list.
A clock that a withdrawn meeting had met opens again, marked reopened with the reason. What
has already happened because of a clock (a meeting held in time) is not undone.
"""

import datetime as dt

from django.db import transaction

from saferoptions.core import clock

from .. import timescales
from ..models import CaseMeeting, ClockKind, MeetingKind, NrmOutcome, NrmReferral, StatutoryClock
from . import corrections
from .clocks import MEETING_CLOCK, meet_clock, planned_clocks, start_clock
from .common import Refused, audit

NOT_NEEDED = "Not needed: "  # how a clock ended by a withdrawal or correction reads


def end_clocks(rows, why: str) -> list[int]:
    """End the unmet clocks among `rows`: not needed any more (they leave open lists)."""
    ids = list(rows.filter(met_at__isnull=True).values_list("pk", flat=True))
    StatutoryClock.objects.filter(pk__in=ids).update(met_at=clock.now(),
                                                     late_reason=f"{NOT_NEEDED}{why}"[:2000])
    return ids


def reopen_clocks(rows, why: str) -> list[int]:
    ids = list(rows.filter(met_at__isnull=False).values_list("pk", flat=True))
    StatutoryClock.objects.filter(pk__in=ids).update(
        met_at=None, late_reason="", reopened_at=clock.now(), reopened_reason=why[:2000])
    return ids


def ended_as_not_needed(row: StatutoryClock) -> bool:
    return row.met_at is not None and row.late_reason.startswith(NOT_NEEDED)


# Meetings ---------------------------------------------------------------------------------

def _met_by(meeting: CaseMeeting):
    """The clocks this meeting met: its kind's clock, met at the end of its day, unless
    another meeting of that kind on that day (not withdrawn) met it too."""
    kind = MEETING_CLOCK.get(meeting.kind)
    twin = CaseMeeting.objects.filter(person=meeting.person, kind=meeting.kind,
                                      held_on=meeting.held_on, withdrawn_at__isnull=True) \
        .exclude(pk=meeting.pk).exists()
    if kind is None or twin:
        return StatutoryClock.objects.none()
    return StatutoryClock.objects.filter(person=meeting.person, kind=kind,
                                         met_at=timescales.end_of_day(meeting.held_on))


def started_by(meeting: CaseMeeting):
    return StatutoryClock.objects.filter(key__endswith=f":meeting:{meeting.pk}")


def _check_meeting(kind, held_on, discussion):
    if kind not in MeetingKind.values:
        raise Refused("kind", "Choose the kind of meeting.")
    if held_on > clock.today():
        raise Refused("held_on", "The date of the meeting must be today or in the past.")
    if not (discussion or "").strip():
        raise Refused("discussion", "Record what was discussed.")


def correct_meeting(*, actor, meeting: CaseMeeting, kind: str, held_on: dt.date,
                    discussion: str, reason: str) -> CaseMeeting:
    """Correct a meeting's kind, date or notes; its clocks follow the corrected meeting."""
    _check_meeting(kind, held_on, discussion)
    with transaction.atomic():
        meeting = CaseMeeting.objects.select_for_update().get(pk=meeting.pk)
        met = list(_met_by(meeting).values_list("pk", flat=True))
        was_kind = meeting.kind
        changed = corrections.correct(
            actor=actor, object_type="case_meeting", row=meeting, reason=reason,
            values={"kind": kind, "held_on": held_on, "discussion": discussion.strip()})
        if {"kind", "held_on"} & set(changed):
            _follow_meeting(actor, meeting, was_kind, met, reason)
    return meeting


def _follow_meeting(actor, meeting, was_kind, met, reason) -> None:
    why = f"the meeting that met it was corrected: {reason.strip()}"
    same_clock = MEETING_CLOCK.get(was_kind) == MEETING_CLOCK.get(meeting.kind)
    on = timescales.end_of_day(meeting.held_on)
    if same_clock:
        StatutoryClock.objects.filter(pk__in=met).update(met_at=on)
    else:
        reopen_clocks(StatutoryClock.objects.filter(pk__in=met), why.capitalize())
        if meeting.kind in MEETING_CLOCK:
            for row in StatutoryClock.objects.filter(person=meeting.person, met_at__isnull=True,
                                                     kind=MEETING_CLOCK[meeting.kind]):
                meet_clock(key=row.key, met_at=on)
    keys = []
    for kind, key, start, due in planned_clocks(meeting):
        keys.append(key)
        row = start_clock(kind=kind, key=key, person=meeting.person, started_at=start,
                          due_at=due, owner=actor)
        revive = {"met_at": None, "late_reason": ""} if ended_as_not_needed(row) else {}
        StatutoryClock.objects.filter(pk=row.pk).update(started_at=start, due_at=due, **revive)
    end_clocks(started_by(meeting).exclude(key__in=keys),
               f"the meeting that started it was corrected to a {meeting.get_kind_display()}")


def withdraw_meeting(*, actor, meeting: CaseMeeting, reason: str) -> CaseMeeting:
    """Withdraw a meeting recorded in error: the clocks it met open again, and the unmet
    clocks it started end as not needed."""
    with transaction.atomic():
        meeting = CaseMeeting.objects.select_for_update().get(pk=meeting.pk)
        met = _met_by(meeting)
        reason = corrections.checked_reason(reason, "withdrawing it")
        corrections.withdraw(actor=actor, object_type="case_meeting", row=meeting,
                             reason=reason, person=meeting.person_id)
        reopened = reopen_clocks(met, f"The meeting that met it was withdrawn: {reason}")
        ended = end_clocks(started_by(meeting), "the meeting that started it was withdrawn")
        audit(actor, "update", "statutory_clock", reopened + ended, reopened=reopened,
              ended=ended, meeting=meeting.pk)
    return meeting


# NRM referrals ----------------------------------------------------------------------------

NRM_STAGES = ("reasonable", "conclusive")


def _check_nrm(referred_on, decisions: dict) -> None:
    today = clock.today()
    if referred_on > today:
        raise Refused("referred_on", "The referral date must be today or in the past.")
    for stage in NRM_STAGES:
        outcome, on = decisions[f"{stage}_grounds"], decisions[f"{stage}_grounds_on"]
        if outcome not in NrmOutcome.values:
            raise Refused(f"{stage}_grounds", "Choose the decision from the list.")
        if bool(outcome) != bool(on):
            raise Refused(f"{stage}_grounds_on", "Give the decision date with the decision, "
                                                 "or neither while it is awaited.")
        if on and not referred_on <= on <= today:
            raise Refused(f"{stage}_grounds_on",
                          "The decision date must be between the referral and today.")
    if decisions["conclusive_grounds"] and decisions["reasonable_grounds"] != "positive":
        raise Refused("conclusive_grounds", "A conclusive grounds decision follows only a "
                                            "positive reasonable grounds decision.")


def correct_nrm_referral(*, actor, referral: NrmReferral, referred_on: dt.date,
                         reasonable_grounds: str = "", reasonable_grounds_on=None,
                         conclusive_grounds: str = "", conclusive_grounds_on=None,
                         reason: str) -> NrmReferral:
    """Correct the referral date or a decision; its two clocks follow the corrected record."""
    decisions = {"reasonable_grounds": reasonable_grounds or "",
                 "reasonable_grounds_on": reasonable_grounds_on,
                 "conclusive_grounds": conclusive_grounds or "",
                 "conclusive_grounds_on": conclusive_grounds_on}
    _check_nrm(referred_on, decisions)
    with transaction.atomic():
        referral = NrmReferral.objects.select_for_update().get(pk=referral.pk)
        corrections.correct(actor=actor, object_type="nrm_referral", row=referral,
                            reason=reason, values={"referred_on": referred_on, **decisions})
        _follow_nrm(actor, referral, reason.strip())
    return referral


def _follow_nrm(actor, referral: NrmReferral, reason: str) -> None:
    """Each clock as the corrected referral says: due from its start, met by its decision."""
    why = f"The NRM referral was corrected: {reason}"
    _set_clock(actor, referral, "rg", ClockKind.NRM_REASONABLE_GROUNDS, referral.referred_on,
               timescales.nrm_reasonable_grounds_due(referral.referred_on),
               referral.reasonable_grounds_on, why)
    cg = StatutoryClock.objects.filter(key=f"nrm-cg:{referral.pk}")
    if referral.reasonable_grounds == "positive":
        on = referral.reasonable_grounds_on
        _set_clock(actor, referral, "cg", ClockKind.NRM_CONCLUSIVE_GROUNDS, on,
                   timescales.nrm_conclusive_grounds_due(on), referral.conclusive_grounds_on,
                   why)
    else:
        end_clocks(cg, "the reasonable grounds decision it waited on was corrected")


def _set_clock(actor, referral, stage, kind, started_on, due, decided_on, why) -> None:
    row = start_clock(kind=kind, key=f"nrm-{stage}:{referral.pk}", person=referral.person,
                      owner=actor, started_at=timescales.end_of_day(started_on), due_at=due)
    values = {"started_at": timescales.end_of_day(started_on), "due_at": due}
    if decided_on:
        values.update(met_at=timescales.end_of_day(decided_on), late_reason="")
    elif ended_as_not_needed(row):
        values.update(met_at=None, late_reason="")
    elif row.met_at is not None:  # met by a decision the correction took away
        values.update(met_at=None, late_reason="", reopened_at=clock.now(), reopened_reason=why)
    StatutoryClock.objects.filter(pk=row.pk).update(**values)


def withdraw_nrm_referral(*, actor, referral: NrmReferral, reason: str) -> NrmReferral:
    """A referral recorded in error: it stays on file, its open clocks end, not counted."""
    with transaction.atomic():
        referral = NrmReferral.objects.select_for_update().get(pk=referral.pk)
        corrections.withdraw(actor=actor, object_type="nrm_referral", row=referral,
                             reason=reason, person=referral.person_id)
        ended = end_clocks(StatutoryClock.objects.filter(
            key__in=[f"nrm-rg:{referral.pk}", f"nrm-cg:{referral.pk}"]),
            "the NRM referral was withdrawn")
        audit(actor, "update", "statutory_clock", ended, ended=ended, nrm_referral=referral.pk)
    return referral


# The return home interview on its clock ---------------------------------------------------

def _rhi(row: StatutoryClock) -> StatutoryClock:
    row = StatutoryClock.objects.select_for_update().get(pk=row.pk)
    if row.kind != ClockKind.RETURN_HOME_INTERVIEW or row.met_at is None:
        raise Refused("reason", "No return home interview is recorded on this clock yet: "
                                "record it instead.")
    return row


def correct_return_home_interview(*, actor, clock_row: StatutoryClock, held_at: dt.datetime,
                                  late_reason: str = "", reason: str) -> StatutoryClock:
    """Correct when the interview was offered or held, or why it was late."""
    if held_at > clock.now():
        raise Refused("held_at", "The interview time must be now or in the past.")
    late_reason = (late_reason or "").strip()
    if held_at > clock_row.due_at and not late_reason:
        raise Refused("late_reason", "The interview was late: say why.")
    with transaction.atomic():
        row = _rhi(clock_row)
        corrections.correct(actor=actor, object_type="statutory_clock", row=row, reason=reason,
                            values={"met_at": held_at, "late_reason": late_reason})
    return row


def reopen_return_home_interview(*, actor, clock_row: StatutoryClock,
                                 reason: str) -> StatutoryClock:
    """A clock met by mistake (the interview was recorded on the wrong child) runs again."""
    reason = corrections.checked_reason(reason, "reopening the clock")
    with transaction.atomic():
        row = _rhi(clock_row)
        corrections.correct(actor=actor, object_type="statutory_clock", row=row, reason=reason,
                            values={"met_at": None, "late_reason": ""}, reopened=True)
        row.reopened_at, row.reopened_reason = clock.now(), reason
        row.save(update_fields=["reopened_at", "reopened_reason"])
    return row
