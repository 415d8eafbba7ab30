"""The audit actions feeds writes beyond the general ones (registered in apps.py)."""

ACTIONS = {
    "quarantine": "Feed message held for correction",
    "replay": "Feed message sent through again",
}
