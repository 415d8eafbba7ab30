"""The access policy's rule for graded intelligence (docs/intelligence.md), registered with it
(`access/registry.py`) from `IntelligenceConfig.ready()`.

- The original report (as told, with who raised it) is read only by roles with the duty
  `grade_intelligence`: the analysts who grade it. Nobody else, whatever their agreements.
- A sanitised version is in the data category `intelligence`, as the record of the agency that
  graded it. A viewer reading for direct work or triage sees it when that category is theirs
  from that agency (their own agency, or an approved agreement in force), and the handling code
  allows it: P as agreed; C only for the agencies its conditions name.
- An ungraded item is never shared: it has no handling code yet.
"""

from django.db.models import Q, QuerySet

from saferoptions.access import policy, registry, rules
from saferoptions.access.categories import DataCategory, Purpose
from saferoptions.core import clock

from .models import HandlingCode, IntelligenceReport, SanitisedIntelligence

# Intelligence informs working with a child or deciding on a concern; an audit or a subject
# access request reads it through their own pages, not through sharing.
SHARING_PURPOSES = (Purpose.DIRECT_WORK, Purpose.TRIAGE)
NOTHING = Q(pk__in=[])


def restrict(viewer, queryset: QuerySet) -> QuerySet:
    """Only the originals or sanitised versions this (signed-in) viewer may read."""
    # The agreements are read first, as for any other model, whoever is asking.
    agreements, today = policy.agreements_for(viewer), clock.today()
    if rules.has_duty(viewer, "grade_intelligence"):
        return queryset
    if queryset.model is IntelligenceReport:
        return queryset.none()
    return queryset.filter(sharing_q(viewer, agreements=agreements, today=today))


def sharing_q(viewer, *, agreements, today, prefix: str = "original__") -> Q:
    """Sanitised items (through `prefix` to the report) the viewer's agency may receive."""
    sources, everywhere = set(), False
    for purpose in rules.scopes(viewer, None):
        if purpose not in SHARING_PURPOSES:
            continue
        grants = rules.grants_for(viewer, purpose, agreements, today)
        everywhere |= DataCategory.INTELLIGENCE in grants.every_source
        sources |= {a for a, cats in grants.by_source.items() if DataCategory.INTELLIGENCE in cats}
    if not (sources or everywhere):
        return NOTHING
    graded = Q(**{f"{prefix}handling_code__in": list(HandlingCode.values)})
    by_source = graded if everywhere else graded & Q(**{f"{prefix}grading_agency_id__in": sources})
    conditions_met = IntelligenceReport.shared_with.through.objects.filter(
        agency_id=viewer.agency_id).values("intelligencereport_id")
    allowed = Q(**{f"{prefix}handling_code": HandlingCode.P}) | Q(
        **{f"{prefix}handling_code": HandlingCode.C, f"{prefix}pk__in": conditions_met})
    return by_source & allowed


def register() -> None:
    registry.register_model(IntelligenceReport, restrict)
    registry.register_model(SanitisedIntelligence, restrict)
