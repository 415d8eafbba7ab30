"""The demo partnership's information sharing agreements: the ones a real partnership signs.

A Safer Options partnership signs three kinds, and the synthetic city's demo needs the same
or the Hub decides blind and the team around a child each sees only their own agency:

- **Hub triage**: each agency shares with the Hub's agency, for triage only, the categories the
  Hub decides on (police incidents and missing episodes, ED attendances, school incidents and
  exclusions, case records...), never police intelligence or anything graded.
- **Team around the child**: each practitioner agency shares with each other, for direct work
  only, what direct work needs. The policy still admits a practitioner only to the children
  whose team they are on (or whose meeting they attend, or who are referred to their team),
  so this shares nothing with anyone else.
- **Data quality**: each agency shares with the Hub's agency, for record linkage review, the
  quarantine and hospital location resolution only, what those pages show.

The terms are data here, as on the agreement pages; each agreement is approved by the demo's
data protection officer and then counts like any other. The access policy stays the only gate.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Agency, AgencyKind, Team

from .categories import DataCategory as C
from .categories import Purpose
from .models import AgreementState, InformationSharingAgreement, LawfulBasis

HUB_TEAM = "hub"
WHO = (C.IDENTITY, C.ADDRESS)
# The events each kind of agency sends, by data category (settings.ACCESS_EVENT_TYPE_CATEGORIES).
EVENTS = {
    AgencyKind.POLICE: (C.POLICE_INCIDENTS, C.MISSING),
    AgencyKind.SOCIAL_CARE: (C.MISSING,),
    AgencyKind.HOSPITAL_ED: (C.HEALTH,),
    AgencyKind.HEALTH: (C.HEALTH,),
    AgencyKind.EDUCATION: (C.EDUCATION,),
    AgencyKind.HOUSING: (C.HOUSING,),
}
# Agencies whose practitioners work with children (and so write case records).
PRACTITIONER_AGENCIES = frozenset({
    AgencyKind.POLICE, AgencyKind.SOCIAL_CARE, AgencyKind.EARLY_HELP, AgencyKind.EDUCATION,
    AgencyKind.HOSPITAL_ED, AgencyKind.HEALTH, AgencyKind.HOUSING, AgencyKind.YOUTH_SERVICES,
    AgencyKind.BARNARDOS, AgencyKind.VOLUNTARY,
})
# Never in any of the three: what is suspected is shared only as graded, sanitised intelligence.
NEVER = frozenset({C.POLICE_INTELLIGENCE, C.INTELLIGENCE})


@dataclass(frozen=True)
class Terms:
    name: str
    provider: Agency
    recipient: Agency
    categories: tuple
    purpose: str


def _events(agency: Agency) -> tuple:
    return EVENTS.get(agency.kind, (C.COMMUNITY,))


def _case_records(agency: Agency) -> tuple:
    return (C.CASE_RECORDS,) if agency.kind in PRACTITIONER_AGENCIES else ()


def triage_terms(provider: Agency, hub: Agency) -> Terms:
    """What the Hub decides on from one agency: who, what happened, and its case records."""
    return Terms(f"Safer Options Hub triage: {provider.name} to the Hub", provider, hub,
                 (*WHO, *_events(provider), *_case_records(provider)), Purpose.TRIAGE)


def team_terms(provider: Agency, recipient: Agency) -> Terms:
    """What one agency on a child's team shares with another for direct work.

    Sexual exploitation detail goes to the team working with the child, not to triage: the
    Hub sees that it is withheld and whom to ask.
    """
    return Terms(f"Team around the child: {provider.name} to {recipient.name}", provider,
                 recipient, (*WHO, *_events(provider), C.SEXUAL_EXPLOITATION, C.CASE_RECORDS),
                 Purpose.DIRECT_WORK)


def data_quality_terms(provider: Agency, hub: Agency) -> Terms:
    """Record review, the quarantine and hospital locations: who, and the messages' categories."""
    return Terms(f"Safer Options data quality: {provider.name} to the Hub", provider, hub,
                 (*WHO, *_events(provider)), Purpose.DATA_QUALITY)


def partnership_terms() -> list[Terms]:
    """Every agreement the demo partnership has signed."""
    hub = Team.objects.select_related("agency").get(slug=HUB_TEAM).agency
    agencies = list(Agency.objects.order_by("slug"))
    others = [a for a in agencies if a.pk != hub.pk]
    practitioners = [a for a in agencies if a.kind in PRACTITIONER_AGENCIES]
    terms = [triage_terms(a, hub) for a in others]
    terms += [data_quality_terms(a, hub) for a in others]
    terms += [team_terms(p, r) for p in practitioners for r in practitioners if p.pk != r.pk]
    return terms


def ensure_partnership_agreements(*, starts_on: dt.date, proposed_by=None,
                                  decided_by=None) -> int:
    """Make each missing agreement, approved; returns how many were made.

    An agreement already there (by name, provider and recipient) is left as it is, so running
    it again changes nothing, and an agreement the DPO has since ended stays ended.
    """
    made, now = [], clock.now()
    with transaction.atomic():
        for t in partnership_terms():
            agreement, created = InformationSharingAgreement.objects.get_or_create(
                name=t.name, provider=t.provider, recipient=t.recipient,
                defaults={"categories": sorted(set(t.categories)), "purposes": [t.purpose],
                          "lawful_basis": LawfulBasis.SAFEGUARDING, "starts_on": starts_on,
                          "state": AgreementState.APPROVED, "proposed_by": proposed_by,
                          "proposed_at": now if proposed_by else None,
                          "decided_by": decided_by, "decided_at": now if decided_by else None,
                          "decision_note": "The demo partnership's signed agreement."})
            if created:
                made.append(agreement.pk)
        if made:
            record(actor=decided_by, action="create", object_type="information_sharing_agreement",
                   object_ids=made, purpose="configuration", detail={"state": "approved"})
    return len(made)
