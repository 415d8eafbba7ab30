"""The audit actions cases writes beyond the general ones (registered in apps.py)."""

ACTIONS = {
    # Opening a child's case on a page that changes it (interventions uses the same words).
    "change": "Opened to change or changed",
}
