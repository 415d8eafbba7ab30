"""The audit actions governance writes beyond the general ones (registered in apps.py)."""

from .audit_check import VERIFY_ACTION

ACTIONS = {
    VERIFY_ACTION: "Verified the audit trail (asked for, or its result)",
}
