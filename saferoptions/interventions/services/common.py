"""What every interventions service shares: refusals that name a field, and the audit row."""

from saferoptions.audit.services import record


class Refused(ValueError):
    """A change that cannot be made as asked; `field` and the message say why (for the form)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def audit(actor, action: str, object_type: str, ids, *, purpose: str = "", **detail) -> None:
    """One audit row: ids and actions only, never a personal value."""
    record(actor=actor, action=action, object_type=object_type, object_ids=list(ids),
           purpose=purpose, detail=detail)
