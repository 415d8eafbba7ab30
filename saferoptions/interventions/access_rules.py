"""What interventions tells the access policy (`access/registry.py`), from its `ready()`.

A provider's team works with the children referred to it while the referral is sent, accepted
or started (docs/interventions.md). A case formulation is a case record, written with the team
around the child; it is read for direct work (break-glass reads as direct work) and by the data
protection officer answering a subject access request or auditing; never for triage.
"""

from saferoptions.access import registry
from saferoptions.access.categories import Purpose

from .models import CaseFormulation, Referral
from .vocabulary import ACTIVE_STATUSES

FORMULATION_PURPOSES = frozenset({Purpose.DIRECT_WORK, Purpose.BREAK_GLASS,
                                  Purpose.SUBJECT_ACCESS, Purpose.AUDIT})


def _referred_people(viewer, today):
    if viewer.team_id is None:
        return None
    referred = Referral.objects.filter(team_id=viewer.team_id, status__in=ACTIVE_STATUSES)
    return referred.values("person_id")


def _referred_exists(viewer, person_id, today):
    if viewer.team_id is None:
        return None
    referral = Referral._meta.db_table
    statuses = ", ".join(["%s"] * len(ACTIVE_STATUSES))
    # Only the table name from the model is formatted in; every value is a query parameter.
    sql = (f"EXISTS(SELECT 1 FROM {referral} r WHERE r.person_id = %s AND r.team_id = %s"  # noqa: S608
           f" AND r.status IN ({statuses}))")
    return sql, [person_id, viewer.team_id, *[str(s) for s in ACTIVE_STATUSES]]


REFERRED = registry.WorksWith("active referral to the viewer's team",
                              _referred_people, _referred_exists)
FORMULATION = registry.CaseRecord("case_formulation", "person", "written_by__agency_id",
                                  purposes=FORMULATION_PURPOSES)


def register() -> None:
    registry.register_works_with(REFERRED)
    registry.register_case_record(CaseFormulation, FORMULATION)
