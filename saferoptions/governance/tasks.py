"""Background jobs for governance (django-q2)."""

from . import audit_check


def verify_audit_trail(run_id: int) -> str:
    """Walk the audit chain for the run the DPO asked for; the result is kept and audited."""
    return audit_check.run_verification(run_id)
