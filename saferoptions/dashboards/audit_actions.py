"""The audit actions the dashboards write beyond the general ones (registered in apps.py)."""

ACTIONS = {
    "switch_on_model": "Learned model switched on (complete card, named approver)",
    "switch_on_refused": "Learned model not switched on (the card or approver fell short)",
}
