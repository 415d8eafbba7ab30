"""The audit actions cases writes beyond the general ones (registered in apps.py)."""

ACTIONS = {
    # Opening a child's case on a page that changes it (interventions uses the same words).
    "change": "Opened to change or changed",
    # A recorded item put right with a reason (the old values stay in its history).
    "correct": "Corrected with a reason",
    # A recorded item taken out of queues and counts with a reason (it stays on file).
    "withdraw": "Withdrawn with a reason",
}
