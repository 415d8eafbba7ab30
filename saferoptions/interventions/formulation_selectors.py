"""Reading a child's case formulation: only the versions the policy's decision lets the
viewer see (`policy.record_rows`: the writer's agency or an agreement covering case records,
and never for triage), audited."""

from saferoptions.access import policy
from saferoptions.audit.services import record

from .models import CaseFormulation


def versions(*, user, child) -> list[CaseFormulation]:
    """Every version the viewer may see, newest first (the first is the current one)."""
    rows = policy.record_rows(child.decision, CaseFormulation.objects.all()) \
        .select_related("written_by", "written_by__agency").prefetch_related("contributors")
    found = list(rows.order_by("-version"))
    if found:
        record(actor=user, action="view", object_type="case_formulation",
               object_ids=[r.pk for r in found], purpose=child.decision.purpose,
               detail={"person": child.person.pk})
    return found
