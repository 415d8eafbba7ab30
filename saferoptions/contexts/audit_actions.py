"""The audit actions contexts writes beyond the general ones (registered in apps.py)."""

from .services import CORRECT, WITHDRAW

ACTIONS = {
    CORRECT: "Corrected a context case record, with a reason",
    WITHDRAW: "Withdrew a context referral, with a reason",
}
