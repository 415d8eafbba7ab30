"""The data protection officer's screens: records due for review, holds, disposal, SAR export."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferoptions.access.categories import Purpose
from saferoptions.access.http import fail_closed
from saferoptions.access.policy import roles_with
from saferoptions.access.routes import ROLES, access_rule
from saferoptions.audit.services import record
from saferoptions.core.deadlines import due_text
from saferoptions.core.numbers import whole_number

from . import audit_check, sar_review, selectors, services
from .forms import DisposalForm, LegalHoldForm, SubjectAccessSearchForm

# The retention review, holds, disposal and subject access export (the duty in the role table).
DPO = roles_with("review_retention")
# Checking the audit trail goes with searching it (the duty in the role table).
AUDITORS = roles_with("search_audit")


@dataclass(frozen=True)
class Unfinished:
    """A hold its form refused: the row, its box on the review page, what to do."""

    person_id: int
    field: str  # "reason": the row's box is "<field>-<person id>"
    label: str
    message: str
    value: str = ""

    @property
    def box(self) -> str:
        return f"{self.field}-{self.person_id}"


@access_rule(ROLES, roles=DPO)
def review(request):
    """People whose records reach their review date soon, soonest first."""
    return _review_page(request)


def _review_page(request, *, unfinished: Unfinished | None = None) -> HttpResponse:
    with transaction.atomic():
        due = selectors.records_due_for_review()
        page = Paginator(due, settings.GOVERNANCE_REVIEW_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        ids = [item.person_id for item in page]
        if unfinished and unfinished.person_id not in ids:
            ids.append(unfinished.person_id)  # named in the error summary
        # Who each record is, so the DPO knows what they would dispose of: read for oversight.
        shown = selectors.review_details(request.user, ids)
        record(
            actor=request.user,
            action="list",
            object_type="person",
            object_ids=ids,
            purpose=Purpose.AUDIT,
            detail={"page": "retention_review"},
        )
    rows = [(item, shown.get(item.person_id)) for item in page]
    # A refused hold comes back to this list with the row's box marked, not to a page that
    # only says it was not done.
    return render(request, "governance/review.html", {
        "page": page, "rows": rows, "unfinished": unfinished,
        "unfinished_shown": shown.get(unfinished.person_id) if unfinished else None,
    }, status=400 if unfinished else 200)


@access_rule(ROLES, roles=DPO)
@require_POST
def place_hold(request, person_id: int):
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        return _review_page(request, unfinished=Unfinished(
            person_id, "reason", "Hold reason", form.errors["reason"][0],
            request.POST.get("reason", "")))
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
@require_http_methods(["GET", "POST"])
@fail_closed
def dispose(request, person_id: int):
    """GET: who the record is and what disposing of it takes away; POST: dispose of it."""
    form = DisposalForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        preview = selectors.disposal_preview(request.user, person_id)
        return render(request, "governance/dispose.html", {"form": form, "preview": preview},
                      status=400 if form.is_bound else 200)
    try:
        tombstone = services.dispose_person(actor=request.user, person_id=person_id)
    except services.GovernanceRefused as refusal:
        return _refused(request, str(refusal))
    messages.success(
        request, f"Person {tombstone.record_id} disposed of; tombstone {tombstone.pk}."
    )
    return redirect("governance:review")


@access_rule(ROLES, roles=DPO)
@require_GET
@fail_closed
def subject_access_search(request):
    """Answer a subject access request: find the person who asked, then their export."""
    form = SubjectAccessSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "governance/subject_access_search.html", {"form": form},
                      status=400)
    query = form.cleaned_data["q"]
    found = None
    if query:  # nobody is listed until the DPO names the person who asked
        found = selectors.subject_access_search(
            request.user, query, form.cleaned_data["page"] or 1
        )
    return render(request, "governance/subject_access_search.html",
                  {"form": form, "query": query, "found": found})


@access_rule(ROLES, roles=DPO)
@require_http_methods(["GET", "POST"])
@fail_closed
def subject_access_export(request, person_id: int):
    """GET: the review page, everything held grouped by section with the free text to check;
    POST: the file to release, as JSON or as CSV files in a zip. Both are audited."""
    if request.method == "GET":
        return _subject_access_review(request, person_id)
    as_csv = request.POST.get("format") == "csv"
    records, body = selectors.subject_access_file(
        request.user, person_id, detail={"format": "csv" if as_csv else "json"})
    name = f"subject-access-{records['person'].public_id}"
    if as_csv:
        response = HttpResponse(sar_review.csv_zip(body), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
        return response
    response = HttpResponse(json.dumps(body, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


def _subject_access_review(request, person_id: int) -> HttpResponse:
    only = request.GET.get("section", "")
    only = only if only in sar_review.section_keys() else ""
    page_number = (whole_number(request.GET.get("page")) or 1) if only else 1
    records, body = selectors.subject_access_file(
        request.user, person_id, action="view",
        detail={"page": "subject_access_review", "section": only, "page_number": page_number})
    pages = None
    if only:  # one section, a page at a time (a number past the end is its last page)
        pages = Paginator(range(len(body[only])), sar_review.ROWS_SHOWN).get_page(page_number)
    start = (pages.number - 1) * sar_review.ROWS_SHOWN if pages else 0
    sections = sar_review.sections(body, only=only, start=start)
    return render(request, "governance/subject_access.html", {
        "person_id": person_id, "person": records["person"], "sections": sections,
        "only": only, "pages": pages, "flagged": len(body["free_text_for_review"])})


@access_rule(ROLES, roles=AUDITORS)
@require_http_methods(["GET", "POST"])
@fail_closed
def audit_verification(request):
    """GET: the last checks of the audit trail; POST: queue another (one at a time)."""
    if request.method == "POST":
        try:
            audit_check.request_verification(actor=request.user)
        except audit_check.AlreadyRunning as refusal:
            messages.warning(request, _running_words(refusal.run))
        except DatabaseError:  # the job queue (the database) did not take it: nothing started
            messages.error(request, "The check could not be started just now: nothing was "
                           "queued. Try again in a minute.")
        else:
            messages.success(request, "The check of the audit trail has started. "
                             "Its result appears below when it ends: refresh the page.")
        return redirect("governance:audit-verification")
    runs = audit_check.recent_runs(user=request.user)
    running = next((run for run in runs if run.in_progress), None)
    return render(request, "governance/audit_verification.html",
                  {"runs": runs, "running": running})


def _running_words(run) -> str:
    if run is None:  # it ended between the click and this answer
        return "A check of the audit trail was running; refresh the page to see its result."
    since = due_text(run.requested_at)
    return (f"A check of the audit trail is already running (asked for at {since} by "
            f"{run.requested_by}). Wait for its result below before starting another.")


def _refused(request, reason) -> HttpResponse:
    return render(request, "governance/refused.html", {"reason": reason}, status=400)
