"""The audit actions accounts writes beyond the general ones (registered in apps.py)."""

from .services import LOCK_OUT

ACTIONS = {
    LOCK_OUT: "Locked out after failed sign-ins",
}
