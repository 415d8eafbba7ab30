"""Every write a person makes on a task: taking it, giving it to a colleague, and recording,
correcting or withdrawing what was done.

A task is done only with an outcome. An outcome is never edited in place or deleted: a
correction is a new version (the old one stays, marked as replaced), a withdrawal marks it
withdrawn with the reason and opens the task again. Each change is one transaction with its
audit row (ids and codes only, never an answer's text).
"""

import datetime as dt

from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.cases.services import Refused
from saferoptions.cases.services.clocks import meet_clock
from saferoptions.core import clock
from saferoptions.core.models import User

from .forms import outcome_choices
from .models import OutcomeState, Task, TaskOutcome, TaskStatus, TaskType


def _locked(task: Task, actor) -> Task:
    """The task, locked, if it is the actor's team's; another team's is the caller's 404."""
    locked = Task.objects.select_for_update().filter(pk=task.pk).first()
    if locked is None or actor.team_id is None or locked.team_id != actor.team_id:
        raise Task.DoesNotExist
    return locked


def _audit(actor, action: str, task: Task, **detail) -> None:
    record(actor=actor, action=action, object_type="task", object_ids=[task.pk],
           purpose="direct_work", detail=detail)


def take_task(*, actor, task: Task) -> Task:
    """"Assign to me": the actor, a member of the task's team, will do it."""
    return reassign_task(actor=actor, task=task, assignee=actor)


def reassign_task(*, actor, task: Task, assignee) -> Task:
    """Give the task to an active member of its own team (work never leaves the team here)."""
    with transaction.atomic():
        task = _locked(task, actor)
        if task.status != TaskStatus.OPEN:
            raise Refused("assignee", "This task is closed: it cannot be given to anyone.")
        ok = User.objects.filter(pk=getattr(assignee, "pk", None), team_id=task.team_id,
                                 is_active=True).exists()
        if not ok:
            raise Refused("assignee", "Choose a member of the task's team")
        before = task.assigned_to_id
        task.assigned_to = assignee
        task.save(update_fields=["assigned_to"])
        _audit(actor, "update", task, assigned_to=assignee.pk, assigned_before=before)
    return task


def take_if_unowned(task: Task, actor) -> bool:
    """Whoever completes a task nobody had taken did it: they become its owner, so a done task
    never reads "Nobody yet". A task someone else owned keeps its owner (the page says who
    completed it)."""
    if task.assigned_to_id is not None:
        return False
    task.assigned_to = actor
    return True


def _check(task: Task, outcome: str, happened_at: dt.datetime) -> None:
    if outcome not in outcome_choices(task.task_type):
        raise Refused("outcome", "Choose the outcome: a task is done only with an outcome")
    if happened_at > clock.now():
        raise Refused("happened_at", "What was done cannot be in the future")


def record_outcome(*, actor, task: Task, outcome: str, happened_at: dt.datetime,
                   answers: dict) -> TaskOutcome:
    """Record what was done and how it ended; the task is then done (the first outcome only)."""
    with transaction.atomic():
        task = _locked(task, actor)
        _check(task, outcome, happened_at)
        if task.status != TaskStatus.OPEN or _current(task) is not None:
            raise Refused("outcome", "An outcome is already recorded: correct it instead")
        row = _new_version(actor, task, outcome, happened_at, answers, reason="")
        now = clock.now()
        task.status, task.completed_at, task.completed_by = TaskStatus.DONE, now, actor
        owned = take_if_unowned(task, actor)
        task.save(update_fields=["status", "completed_at", "completed_by", "assigned_to"])
        met = _meet_duty_clock(task, happened_at, answers, outcome)
        _audit(actor, "create", task, outcome=row.pk, version=row.version, code=outcome,
               status="done", clocks_met=met, **({"assigned_to": actor.pk} if owned else {}))
    return row


def correct_outcome(*, actor, task: Task, outcome: str, happened_at: dt.datetime,
                    answers: dict, reason: str) -> TaskOutcome:
    """A new version of the outcome, with why; the one it replaces is kept."""
    if not (reason or "").strip():
        raise Refused("reason", "Enter why the outcome is being corrected")
    with transaction.atomic():
        task = _locked(task, actor)
        _check(task, outcome, happened_at)
        old = _current(task)
        if old is None:
            raise Refused("outcome", "There is no outcome to correct: record one instead")
        TaskOutcome.objects.filter(pk=old.pk).update(state=OutcomeState.CORRECTED)
        row = _new_version(actor, task, outcome, happened_at, answers, reason=reason.strip())
        _audit(actor, "update", task, outcome=row.pk, version=row.version, code=outcome,
               replaces=old.pk)
    return row


def withdraw_outcome(*, actor, task: Task, reason: str) -> TaskOutcome:
    """Withdraw a mistaken outcome, with why: it stays on record, and the task opens again."""
    if not (reason or "").strip():
        raise Refused("reason", "Enter why the outcome is being withdrawn")
    with transaction.atomic():
        task = _locked(task, actor)
        old = _current(task)
        if old is None:
            raise Refused("reason", "There is no outcome to withdraw")
        old.state, old.withdrawn_reason = OutcomeState.WITHDRAWN, reason.strip()
        old.withdrawn_by, old.withdrawn_at = actor, clock.now()
        old.save(update_fields=["state", "withdrawn_reason", "withdrawn_by", "withdrawn_at"])
        task.status, task.completed_at, task.completed_by = TaskStatus.OPEN, None, None
        task.save(update_fields=["status", "completed_at", "completed_by"])
        _audit(actor, "update", task, outcome=old.pk, withdrawn=True, status="open")
    return old


def _current(task: Task) -> TaskOutcome | None:
    return task.outcomes.filter(state=OutcomeState.CURRENT).first()


def _new_version(actor, task, outcome, happened_at, answers, *, reason) -> TaskOutcome:
    last = task.outcomes.order_by("-version").values_list("version", flat=True).first() or 0
    return TaskOutcome.objects.create(
        task=task, version=last + 1, task_type=task.task_type, outcome=outcome,
        happened_at=happened_at, answers=answers, reason=reason, recorded_by=actor)


def _meet_duty_clock(task: Task, happened_at, answers: dict, outcome: str) -> int:
    """One duty, one deadline: an interview held or offered meets the child's interview clock."""
    if task.task_type != TaskType.RETURN_HOME_INTERVIEW or not (task.event_id and task.person_id):
        return 0
    if outcome == "not_reached":  # nobody was offered an interview: the duty is still open
        return 0
    return meet_clock(key=f"rhi:event:{task.event_id}:{task.person_id}", met_at=happened_at,
                      late_reason=answers.get("late_reason") or "")
