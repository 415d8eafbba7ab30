"""The DPO's check of the audit trail from the site: one run at a time, in the background.

The walk itself is the audit app's (`audit.verification.verify`, the same as the
`audit verify` command); this keeps who asked, when, and what it found, and audits both the
request and the result. The walk runs in a django-q2 job: a large log takes longer than a
request should.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django_q.tasks import async_task

from saferoptions.access.categories import Purpose
from saferoptions.audit.services import record
from saferoptions.audit.verification import verify
from saferoptions.core import clock

from .models import AuditVerificationRun, VerificationStatus

JOB = "saferoptions.governance.tasks.verify_audit_trail"
VERIFY_ACTION = "verify_audit"
OBJECT_TYPE = "audit_verification"
# A run not ended this long after it was asked for died with its worker: it no longer stops
# the DPO starting another. Longer than the job's own time limit below.
STALE_AFTER = dt.timedelta(hours=2)
JOB_TIMEOUT_SECONDS = 3600
RUNS_SHOWN = 20


class AlreadyRunning(Exception):
    """A verification is already waiting or running; the message says since when."""

    def __init__(self, run: AuditVerificationRun | None):
        super().__init__("A verification of the audit trail is already running.")
        self.run = run


def request_verification(*, actor) -> AuditVerificationRun:
    """Queue a check of the whole chain; refused (and audited as refused) while one runs."""
    refused = None
    with transaction.atomic():
        _end_stale(actor)
        try:
            with transaction.atomic():  # the unique `in_progress` lets one run in at a time
                run = AuditVerificationRun.objects.create(
                    requested_by=actor, requested_at=clock.now()
                )
        except IntegrityError:
            refused = AlreadyRunning(running())
            record(actor=actor, action=VERIFY_ACTION, object_type=OBJECT_TYPE,
                   object_ids=[refused.run.pk] if refused.run else [], purpose=Purpose.AUDIT,
                   outcome="denied", detail={"step": "requested", "reason": "already_running"})
        else:
            record(actor=actor, action=VERIFY_ACTION, object_type=OBJECT_TYPE,
                   object_ids=[run.pk], purpose=Purpose.AUDIT, detail={"step": "requested"})
            # Queued in this transaction (the ORM broker): the job exists only if the run does.
            async_task(JOB, run.pk, task_name=f"audit-verification-{run.pk}",
                       timeout=JOB_TIMEOUT_SECONDS)
    if refused is not None:
        raise refused
    return run


def running() -> AuditVerificationRun | None:
    return AuditVerificationRun.objects.filter(in_progress=True).first()


def _end_stale(actor) -> None:
    cutoff = clock.now() - STALE_AFTER
    for run in AuditVerificationRun.objects.select_for_update().filter(
        in_progress=True, requested_at__lt=cutoff
    ):
        _finish(run, VerificationStatus.FAILED,
                message="The worker did not finish this run; it was given up.")
        record(actor=actor, action=VERIFY_ACTION, object_type=OBJECT_TYPE, object_ids=[run.pk],
               purpose=Purpose.AUDIT, outcome="failed", detail={"step": "given_up"})


def run_verification(run_id: int) -> str:
    """The worker's half: walk the chain, keep and audit what it found. A run already started
    (django-q2 may deliver a long job twice) or ended is left alone."""
    with transaction.atomic():
        run = AuditVerificationRun.objects.select_for_update().filter(
            pk=run_id, status=VerificationStatus.QUEUED
        ).first()
        if run is None:
            return "not queued"
        run.status, run.started_at = VerificationStatus.RUNNING, clock.now()
        run.save(update_fields=["status", "started_at"])
    try:
        result = verify()
    except Exception as exc:  # a failed walk is shown as such, never left "running"
        _record_result(run_id, VerificationStatus.FAILED,
                       message=f"The check could not finish ({exc.__class__.__name__}).")
        raise
    if result.intact:
        status, where = VerificationStatus.INTACT, {}
    else:
        status = VerificationStatus.BROKEN
        where = {"broken_sequence": result.broken.sequence, "broken_kind": result.broken.kind,
                 "message": result.broken.message[:300]}
    _record_result(run_id, status, entries=result.entries,
                   last_sequence=result.last_sequence, **where)
    return status


def _record_result(run_id: int, status: str, **found) -> None:
    with transaction.atomic():
        run = AuditVerificationRun.objects.select_for_update().select_related(
            "requested_by").get(pk=run_id)
        _finish(run, status, **found)
        record(actor=run.requested_by, action=VERIFY_ACTION, object_type=OBJECT_TYPE,
               object_ids=[run.pk], purpose=Purpose.AUDIT,
               outcome="ok" if status == VerificationStatus.INTACT else status,
               detail={"step": "result", "status": status, "entries": run.entries,
                       "last_sequence": run.last_sequence,
                       "broken_sequence": run.broken_sequence, "broken_kind": run.broken_kind})


def _finish(run: AuditVerificationRun, status: str, **found) -> None:
    run.status, run.finished_at, run.in_progress = status, clock.now(), None
    for name, value in found.items():
        setattr(run, name, value)
    run.save()


def recent_runs(*, user) -> list[AuditVerificationRun]:
    """The last runs, newest first; reading them is audited (who looked at the checks)."""
    with transaction.atomic():
        runs = list(AuditVerificationRun.objects.select_related("requested_by")[:RUNS_SHOWN])
        record(actor=user, action="list", object_type=OBJECT_TYPE,
               object_ids=[r.pk for r in runs], purpose=Purpose.AUDIT)
    return runs
