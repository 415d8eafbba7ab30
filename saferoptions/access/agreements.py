"""Information sharing agreements: proposed by a system administrator, approved by the DPO.

An agreement shares nothing until the data protection officer approves it (the policy reads
approved agreements only). Ending one narrows sharing, so it takes effect at once. Each
change is one transaction with its audit row.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Agency
from saferoptions.core.queues import Filter, Paged, QueueQuery, page_of, read_query

from .models import AgreementState, InformationSharingAgreement
from .policy import roles_with

# Duties in the role table (docs/access-policy.md). Whoever holds them decides what the
# table's "agreements" category shares, so tests/access/test_role_reach.py pins who they are:
# widening them is a reviewed change, never a quiet edit.
PROPOSERS = roles_with("propose_agreements")
APPROVERS = roles_with("approve_agreements")
VIEWERS = (*PROPOSERS, *APPROVERS)
OBJECT_TYPE = "information_sharing_agreement"


class AgreementRefused(ValueError):
    """The agreement cannot be changed as asked; the message names the field and the reason."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field


def _audit(actor, action: str, agreement, outcome: str = "ok", **detail) -> None:
    record(actor=actor, action=action, object_type=OBJECT_TYPE, object_ids=[agreement.pk],
           purpose="configuration", outcome=outcome, detail=detail)


def _deny(actor, agreement, message: str, field: str | None = None):
    with transaction.atomic():
        _audit(actor, "update", agreement, outcome="denied", refused=message)
    raise AgreementRefused(field, message)


def propose(*, actor, name, provider, recipient, categories, purposes, lawful_basis,
            starts_on: dt.date, ends_on: dt.date | None) -> InformationSharingAgreement:
    """A new agreement, waiting for the data protection officer."""
    if actor.role not in PROPOSERS:
        raise AgreementRefused(None, "Only a system administrator can propose an agreement")
    if provider == recipient:
        raise AgreementRefused("recipient", "An agency does not need an agreement with itself: "
                                            "choose another recipient")
    agreement = InformationSharingAgreement(
        name=name, provider=provider, recipient=recipient, categories=sorted(categories),
        purposes=sorted(purposes), lawful_basis=lawful_basis, starts_on=starts_on,
        ends_on=ends_on, state=AgreementState.PROPOSED, proposed_by=actor,
        proposed_at=clock.now())
    try:
        agreement.full_clean()
    except ValidationError as invalid:
        field, messages = next(iter(invalid.message_dict.items()))
        raise AgreementRefused(field, messages[0]) from invalid
    with transaction.atomic():
        agreement.save()
        _audit(actor, "create", agreement, state=agreement.state)
    return agreement


def decide(*, actor, agreement, approve: bool, note: str) -> None:
    """The data protection officer approves (it takes effect now) or refuses a proposal."""
    if actor.role not in APPROVERS:
        _deny(actor, agreement, "Only the data protection officer can approve an agreement")
    if actor.pk == agreement.proposed_by_id:
        _deny(actor, agreement, "Someone other than the proposer must decide on an agreement")
    if agreement.state != AgreementState.PROPOSED:
        raise AgreementRefused(None, "This agreement has already been decided")
    with transaction.atomic():
        agreement.state = AgreementState.APPROVED if approve else AgreementState.REFUSED
        agreement.decided_by, agreement.decided_at = actor, clock.now()
        agreement.decision_note = note
        agreement.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        _audit(actor, "update", agreement, state=agreement.state)


def end(*, actor, agreement, ends_on: dt.date) -> None:
    """End an approved agreement on a day (the first day it no longer applies); never extend."""
    if actor.role not in VIEWERS:
        _deny(actor, agreement, "Only a system administrator or the data protection officer "
                                "can end an agreement")
    if agreement.state != AgreementState.APPROVED:
        raise AgreementRefused(None, "Only an approved agreement can be ended")
    if ends_on < agreement.starts_on:
        raise AgreementRefused("ends_on", "The end date must not be before the start date")
    if agreement.ends_on and ends_on > agreement.ends_on:
        raise AgreementRefused("ends_on", "An agreement can only be ended sooner, never "
                                          "extended: propose a new agreement instead")
    with transaction.atomic():
        before = agreement.ends_on
        agreement.ends_on = ends_on
        agreement.save(update_fields=["ends_on"])
        _audit(actor, "update", agreement, ends_on=ends_on.isoformat(),
               before=before.isoformat() if before else None)


def agreement_query(params) -> QueueQuery:
    """The list's filters (from, to, status) and page, read from the address: a partnership
    signs hundreds of agreements, so the list is worked a page at a time."""
    agencies = tuple(Agency.objects.order_by("name").values_list("slug", "name"))
    return read_query(params, sorts=(("proposals", "Proposals first"),), filters=(
        Filter("provider", "From", agencies), Filter("recipient", "To", agencies),
        Filter("state", "Status", tuple(AgreementState.choices))))


def agreements(*, user, query: QueueQuery) -> Paged:
    """A page of the agreements, proposals first; the read of the rows shown is audited."""
    rows = InformationSharingAgreement.objects.select_related("provider", "recipient")
    for name, field in (("provider", "provider__slug"), ("recipient", "recipient__slug"),
                        ("state", "state")):
        if query.value(name):
            rows = rows.filter(**{field: query.value(name)})
    found = page_of(query, rows.order_by("-state", "provider__name", "recipient__name", "pk"),
                    what="agreements")
    with transaction.atomic():
        record(actor=user, action="list", object_type=OBJECT_TYPE,
               object_ids=[a.pk for a in found.rows], purpose="configuration")
    return found


def agreement(*, user, pk: int) -> InformationSharingAgreement | None:
    found = InformationSharingAgreement.objects.select_related(
        "provider", "recipient", "proposed_by", "decided_by").filter(pk=pk).first()
    if found is not None:
        with transaction.atomic():
            record(actor=user, action="view", object_type=OBJECT_TYPE, object_ids=[found.pk],
                   purpose="configuration")
    return found
