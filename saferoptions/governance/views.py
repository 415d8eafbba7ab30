"""The data protection officer's screens: records due for review, holds, disposal, SAR export."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from saferoptions.access.policy import roles_with
from saferoptions.access.routes import ROLES, access_rule
from saferoptions.audit.services import record

from . import selectors, services, subject_access
from .forms import DisposalForm, LegalHoldForm

# The retention review, holds, disposal and subject access export (the duty in the role table).
DPO = roles_with("review_retention")


@access_rule(ROLES, roles=DPO)
def review(request):
    """People whose records reach their review date soon, soonest first."""
    with transaction.atomic():
        due = selectors.records_due_for_review()
        page = Paginator(due, settings.GOVERNANCE_REVIEW_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        record(
            actor=request.user,
            action="list",
            object_type="person",
            object_ids=[item.person_id for item in page],
            purpose="governance",
        )
    return render(
        request,
        "governance/review.html",
        {"page": page, "hold_form": LegalHoldForm(), "dispose_form": DisposalForm()},
    )


@access_rule(ROLES, roles=DPO)
@require_POST
def place_hold(request, person_id: int):
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        return _refused(request, "reason: " + form.errors["reason"][0])
    try:
        services.place_legal_hold(
            actor=request.user, person_id=person_id, reason=form.cleaned_data["reason"]
        )
    except services.GovernanceRefused as refusal:
        return _refused(request, str(refusal))
    messages.success(request, f"Legal hold placed on person {person_id}.")
    return redirect("governance:review")


@access_rule(ROLES, roles=DPO)
@require_POST
def release_hold(request, hold_id: int):
    try:
        hold = services.release_legal_hold(actor=request.user, hold_id=hold_id)
    except services.GovernanceRefused as refusal:
        return _refused(request, str(refusal))
    messages.success(request, f"Legal hold on person {hold.person_id} released.")
    return redirect("governance:review")


@access_rule(ROLES, roles=DPO)
@require_POST
def dispose(request, person_id: int):
    form = DisposalForm(request.POST)
    if not form.is_valid():
        return _refused(request, "confirm: " + form.errors["confirm"][0])
    try:
        tombstone = services.dispose_person(actor=request.user, person_id=person_id)
    except services.GovernanceRefused as refusal:
        return _refused(request, str(refusal))
    messages.success(
        request, f"Person {tombstone.record_id} disposed of; tombstone {tombstone.pk}."
    )
    return redirect("governance:review")


@access_rule(ROLES, roles=DPO)
@require_http_methods(["GET", "POST"])
def subject_access_export(request, person_id: int):
    """GET: what the export holds; POST: the JSON file (audited)."""
    if request.method == "GET":
        return render(request, "governance/subject_access.html", {"person_id": person_id})
    with transaction.atomic():
        records = selectors.subject_access_records(request.user, person_id)
        body = subject_access.export(records)
        record(
            actor=request.user,
            action="export",
            object_type="person",
            object_ids=[p.pk for p in records["people"]],
            purpose="subject_access",
            detail={
                "identities": [i.pk for i in records["identities"]],
                "events": [e.pk for e in records["events"]],
                # Other people's records read only to remove their names from the file.
                "redacted_identities": [i.pk for i in records["third_party_identities"]],
            },
        )
    response = HttpResponse(json.dumps(body, indent=2), content_type="application/json")
    name = f"subject-access-{records['person'].public_id}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _refused(request, reason) -> HttpResponse:
    return render(request, "governance/refused.html", {"reason": reason}, status=400)
