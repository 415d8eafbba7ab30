"""Correct or withdraw a recorded item, with a reason, on one page per item and action.

Every item is opened through its child for a change (the access policy is the only gate:
anyone else gets the common 404); a refusal comes back to the same form with the error on
the field it names; success goes back to the page the item is shown on.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import correction_forms as cf
from .. import services
from ..models import (
    SECTIONS,
    Assessment,
    CaseMeeting,
    ClockKind,
    NrmReferral,
    Plan,
    PlanAction,
    PlanReview,
    StatutoryClock,
)
from ..selectors.child import open_case_record
from ..services import clock_corrections as clocks
from ..services import plan_corrections as plans
from ..services.corrections import history, shown
from .common import not_found, personal, refuse, transaction
from .plans import _owners as plan_owners


def _through_plan(model):
    """An action or review is opened through its plan (a case record of the plan's agency)."""
    def load(user, pk):
        row = model.objects.select_related("plan").filter(pk=pk).first() \
            if str(pk).isdigit() else None
        found = open_case_record(user, Plan.objects.all(), row.plan_id if row else "x",
                                 what="plan", change=True)
        return (row, found[1]) if found else None
    return load


def _direct(queryset, what):
    def load(user, pk):
        return open_case_record(user, queryset, pk, what=what, change=True)
    return load


def _child(row, child):
    return reverse("cases:child", args=[child.person.public_id])


def _plan(row, child):
    return reverse("cases:plan", args=[row.plan_id])


def _owners(row):
    """The plan's worker and the team around the child, and whoever owns it now."""
    return [*plan_owners(row.plan), row.owner]


@dataclass(frozen=True)
class Item:
    """One kind of recorded item: how it is opened, corrected, withdrawn and described."""

    name: str  # in words: "meeting"
    what: str  # its object type (audit, history)
    load: Callable
    form: Callable  # (row, data) -> the correction form
    correct: Callable  # (actor, row, cleaned data)
    withdraw: Callable | None  # (actor, row, reason)
    summary: Callable  # row -> [(label, value)]
    back: Callable
    labels: dict
    notes: Callable = lambda row, withdrawing: []  # what happens to its clocks, in words


def _meeting_notes(row, withdrawing):
    started = list(clocks.started_by(row).filter(met_at__isnull=False)
                   .exclude(late_reason__startswith=clocks.NOT_NEEDED))
    notes = ["The clock this meeting met opens again, marked reopened with your reason, and "
             "the clocks it started end as not needed." if withdrawing else
             "The clocks follow the corrected meeting: the one it met is met on the corrected "
             "date, and the deadlines it started count from the corrected date."]
    notes += [f"The {c.get_kind_display().lower()} clock it started was already met "
              f"({c.met_at:%d %b %Y}); that stays as it is." for c in started]
    return notes


def _initial(row, names):
    return {n: getattr(row, n) for n in names}


ITEMS = {
    "meeting": Item(
        "meeting", "case_meeting", _direct(CaseMeeting.objects.all(), "case_meeting"),
        lambda row, data: cf.MeetingCorrectionForm(
            data, initial=_initial(row, ["kind", "held_on", "discussion"])),
        lambda actor, row, d: clocks.correct_meeting(actor=actor, meeting=row, **d),
        lambda actor, row, reason: clocks.withdraw_meeting(actor=actor, meeting=row,
                                                           reason=reason),
        lambda row: [("Meeting", row.get_kind_display()), ("Held", row.held_on),
                     ("What was discussed", row.discussion)],
        _child, {"kind": "Kind of meeting", "held_on": "Date of the meeting",
                 "discussion": "What was discussed"}, _meeting_notes),
    "nrm": Item(
        "NRM referral", "nrm_referral", _direct(NrmReferral.objects.all(), "nrm_referral"),
        lambda row, data: cf.NrmCorrectionForm(data, initial=_initial(row, [
            "referred_on", "reasonable_grounds", "reasonable_grounds_on", "conclusive_grounds",
            "conclusive_grounds_on"])),
        lambda actor, row, d: clocks.correct_nrm_referral(actor=actor, referral=row, **d),
        lambda actor, row, reason: clocks.withdraw_nrm_referral(actor=actor, referral=row,
                                                                reason=reason),
        lambda row: [("Referred", row.referred_on),
                     ("Reasonable grounds", row.get_reasonable_grounds_display()),
                     ("Conclusive grounds", row.get_conclusive_grounds_display())],
        _child, {"referred_on": "Referral date", "reasonable_grounds": "Reasonable grounds",
                 "reasonable_grounds_on": "Reasonable grounds date",
                 "conclusive_grounds": "Conclusive grounds",
                 "conclusive_grounds_on": "Conclusive grounds date"},
        lambda row, withdrawing: [
            "Its decision clocks still waiting end as not needed, and it is no longer counted."
            if withdrawing else "Its decision clocks follow the corrected dates and decisions."]),
    "action": Item(
        "plan action", "plan_action", _through_plan(PlanAction),
        lambda row, data: cf.ActionCorrectionForm(
            data, owners=_owners(row), initial={**_initial(row, ["description", "due_on"]),
                                                "owner": row.owner_id}),
        lambda actor, row, d: plans.correct_plan_action(actor=actor, action=row, **d),
        lambda actor, row, reason: plans.withdraw_plan_action(actor=actor, action=row,
                                                              reason=reason),
        lambda row: [("Action", row.description), ("Owner", row.owner), ("Due", row.due_on),
                     ("Status", row.get_status_display())],
        _plan, {"description": "Action", "owner": "Owner", "due_on": "Due date"},
        lambda row, withdrawing: [
            "Withdraw an action recorded in error. An action the plan no longer needs is "
            "marked “No longer needed” on the plan instead."] if withdrawing else []),
    "review": Item(
        "plan review", "plan_review", _through_plan(PlanReview),
        lambda row, data: cf.ReviewCorrectionForm(data, initial=_initial(
            row, ["held_on", "summary", "next_review_on"])),
        lambda actor, row, d: plans.correct_plan_review(actor=actor, review=row, **d),
        lambda actor, row, reason: plans.withdraw_plan_review(actor=actor, review=row,
                                                              reason=reason),
        lambda row: [("Held", row.held_on), ("What the review found", row.summary),
                     ("Next review", row.next_review_on or "Not set")],
        _plan, {"held_on": "Date of the review", "summary": "What the review found",
                "next_review_on": "Next review date"},
        lambda row, withdrawing: [
            "The plan's review date stays as it is: change it on the plan if it came from "
            "this review." if withdrawing else
            "A corrected next review date also moves the plan's review date, if it was set "
            "by this review."]),
    "interview": Item(
        "return home interview", "statutory_clock",
        _direct(StatutoryClock.objects.filter(kind=ClockKind.RETURN_HOME_INTERVIEW),
                "statutory_clock"),
        lambda row, data: cf.InterviewCorrectionForm(
            data, initial={"held_at": row.met_at, "late_reason": row.late_reason}),
        lambda actor, row, d: clocks.correct_return_home_interview(actor=actor, clock_row=row,
                                                                   **d),
        None,
        lambda row: [("Due", row.due_at), ("Offered or held", row.met_at or "Not yet"),
                     ("Why it was late", row.late_reason or "Not late")],
        _child, {"met_at": "When the interview was offered or held",
                 "late_reason": "Why it was late"},
        lambda row, withdrawing: [
            "If the interview was recorded on the wrong child, reopen the clock instead. The "
            "interview's task, if there is one, keeps its own record."]),
}


def _item(kind):
    return ITEMS.get(kind)


def _page(request, item, row, child, form, *, withdrawing=False, reopening=False, status=200):
    return render(request, "cases/correct.html", {
        "item": item, "row": row, "person": child.person, "form": form,
        "withdrawing": withdrawing, "reopening": reopening,
        "summary": [(label, shown(value)) for label, value in item.summary(row)],
        "notes": item.notes(row, withdrawing),
        "back": item.back(row, child), "history": history(item.what, row.pk, item.labels),
        # Nothing to change: a withdrawn item, or an interview not yet recorded on its clock.
        "closed": getattr(row, "is_withdrawn", False) or getattr(row, "met_at", 0) is None,
    }, status=status)


def _act(request, item, row, child, form, act, done, **flags):
    """Validate, call the service; the same form again, with the error, when refused."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, done)
            return redirect(item.back(row, child))
    status = 400 if request.method == "POST" else 200
    return _page(request, item, row, child, form, status=status, **flags)


def _open(request, kind, pk):
    item = _item(kind)
    if item is None:
        return None, None
    with transaction.atomic():
        return item, item.load(request.user, pk)


@personal("GET", "POST")
def correct(request, kind, pk):
    item, found = _open(request, kind, pk)
    if not found:
        return not_found(request)
    row, child = found
    form = item.form(row, request.POST if request.method == "POST" else None)
    return _act(request, item, row, child, form,
                lambda data: item.correct(request.user, row, data),
                f"The {item.name} is corrected; what it said before is in its history.")


@personal("GET", "POST")
def withdraw(request, kind, pk):
    item, found = _open(request, kind, pk)
    if not found or item.withdraw is None:
        return not_found(request)
    row, child = found
    form = cf.WithdrawForm(request.POST if request.method == "POST" else None)
    return _act(request, item, row, child, form,
                lambda data: item.withdraw(request.user, row, data["reason"]),
                f"The {item.name} is withdrawn; it stays on the record, marked withdrawn.",
                withdrawing=True)


@personal("GET", "POST")
def reopen_interview(request, pk):
    item, found = _open(request, "interview", pk)
    if not found:
        return not_found(request)
    row, child = found
    form = cf.ReopenForm(request.POST if request.method == "POST" else None)
    return _act(request, item, row, child, form,
                lambda data: clocks.reopen_return_home_interview(
                    actor=request.user, clock_row=row, reason=data["reason"]),
                "The return home interview clock is open again.", reopening=True)


ASSESSMENT_LABELS = {name: heading for name, heading, _ in SECTIONS} | {
    "extra_familial_weight": "How much of the harm is outside the family"}


@personal("GET", "POST")
def amend_assessment(request, pk):
    """Amend a submitted or decided assessment with a reason (a new version in its history)."""
    with transaction.atomic():
        found = open_case_record(request.user, Assessment.objects.all(), pk, what="assessment",
                                 change=True)
    if found is None:
        return not_found(request)
    row, child = found
    initial = {n: getattr(row, n) for n in plans.AMENDABLE_FIELDS} | {"version": row.version}
    form = cf.AmendAssessmentForm(request.POST or None, initial=initial)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            plans.amend_assessment(actor=request.user, assessment=row,
                                   version=data.pop("version"), reason=data.pop("reason"),
                                   values=data)
        except services.AssessmentConflict as error:
            conflict, status = error, 409
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "The assessment is amended; what it said before is in "
                                      "its history.")
            return redirect("cases:assessment", row.pk)
    if request.method == "POST" and status == 200:
        status = 400
    return render(request, "cases/assessment_amend.html", {
        "a": row, "person": child.person, "form": form, "conflict": conflict,
        "history": history("assessment", row.pk, ASSESSMENT_LABELS)}, status=status)
