"""Background jobs for tasks (run by django-q2's worker; inline in tests)."""

from . import services


def escalate_due_tasks() -> int:
    """Scheduled every minute: amber at 75% of a task's time, red at breach."""
    return len(services.escalate_due_tasks())


def send_notification_emails() -> int:
    """Email notifications not yet emailed."""
    return services.send_notification_emails()
