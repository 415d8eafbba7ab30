"""The audit actions meetings writes beyond the general ones (registered in apps.py)."""

from .services import CORRECT_ACTION, WITHDRAW_ACTION, WITHDRAW_INVITATION

ACTIONS = {
    CORRECT_ACTION: "Corrected a meeting action, with a reason",
    WITHDRAW_ACTION: "Withdrew a meeting action, with a reason",
    WITHDRAW_INVITATION: "Withdrew an invitation to a locality meeting",
}
