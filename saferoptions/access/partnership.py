"""The demo partnership's information sharing agreement: partners' identity records for the Hub.

A real partnership signs one of these before the Hub can triage concerns from every agency or
say which records are the same child; its terms are proposed on the agreement pages and the
data protection officer approves them. The synthetic city's demo needs the same, or the
Hub's review and unmatched queues would show every other agency's record as "not shared".
Only identity and address, only for triage and data quality: a child's case record still
needs direct work or break-glass.
"""

import datetime as dt

from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.core.models import Agency, Team

from .categories import DataCategory, Purpose
from .models import AgreementState, InformationSharingAgreement, LawfulBasis

NAME = "Safer Options partnership agreement: identity records for the Hub"
CATEGORIES = [DataCategory.IDENTITY.value, DataCategory.ADDRESS.value]
PURPOSES = [Purpose.TRIAGE.value, Purpose.DATA_QUALITY.value]
HUB_TEAM = "hub"


def ensure_hub_agreements(*, starts_on: dt.date) -> int:
    """One agreement from each other agency to the Hub's agency; returns how many were made."""
    hub_agency = Team.objects.get(slug=HUB_TEAM).agency
    made = []
    with transaction.atomic():
        for provider in Agency.objects.exclude(pk=hub_agency.pk).order_by("slug"):
            agreement, created = InformationSharingAgreement.objects.get_or_create(
                name=NAME, provider=provider, recipient=hub_agency,
                # The demo partnership signed it before the city's records began: approved.
                defaults={"categories": CATEGORIES, "purposes": PURPOSES,
                          "lawful_basis": LawfulBasis.SAFEGUARDING, "starts_on": starts_on,
                          "state": AgreementState.APPROVED})
            if created:
                made.append(agreement.pk)
        if made:
            record(actor=None, action="create", object_type="information_sharing_agreement",
                   object_ids=made, purpose="configuration")
    return len(made)
