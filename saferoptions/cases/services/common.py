"""What every pathway service shares: refusals that name a field, revisions, audit rows."""

from saferoptions.audit.services import record
from saferoptions.core import clock

from ..models import Revision


class Refused(ValueError):
    """A change that cannot be made as asked; `field` and the message say why (for the form)."""

    def __init__(self, field: str, message: str, *, link: str = ""):
        super().__init__(message)
        self.field, self.message, self.link = field, message, link


class Conflict(Exception):
    """Someone else saved first: `changes` lists what they changed since the version shown."""

    def __init__(self, current, changes: list[dict]):
        super().__init__("changed by someone else since you opened it")
        self.current, self.changes = current, changes


def audit(actor, action: str, object_type: str, ids, *, purpose: str = "direct_work", **detail):
    """One audit row: ids and actions only, never a personal value."""
    record(actor=actor, action=action, object_type=object_type, object_ids=list(ids),
           purpose=purpose, detail=detail)


def changes_since(object_type: str, obj, version: int) -> list[dict]:
    """Each save after `version`: who, when, and which fields, with the values now stored."""
    revisions = Revision.objects.filter(object_type=object_type, object_id=obj.pk,
                                        version__gt=version).select_related("saved_by")
    return [{"version": r.version, "by": str(r.saved_by), "at": r.saved_at,
             "fields": sorted(r.changed)} for r in revisions]


def save_versioned(*, actor, object_type: str, model, pk: int, version: int, values: dict,
                   conflict=Conflict):
    """Apply `values` only if nobody saved since `version`; record what changed."""
    obj = model.objects.select_for_update().get(pk=pk)
    if obj.version != version:
        raise conflict(obj, changes_since(object_type, obj, version))
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    for name, value in changed.items():
        setattr(obj, name, value)
    obj.version += 1
    obj.save()
    Revision.objects.create(object_type=object_type, object_id=obj.pk, version=obj.version,
                            changed={k: str(v) for k, v in changed.items()}, saved_by=actor,
                            saved_at=clock.now())
    return obj, sorted(changed)
