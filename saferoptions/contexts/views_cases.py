"""Context case pages: thin views over `case_selectors` (reads) and `services` (changes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.routes import PERSONAL_DATA, access_rule
from saferoptions.core.floods import limit_reports
from saferoptions.core.numbers import whole_number
from saferoptions.core.queues import page_of, read_query
from saferoptions.core.widgets import NOT_LISTED

from . import case_selectors, forms, permissions, services
from .errors import ContextInputError, NotAllowed
from .models import CorrectedRecord, InterventionStatus

CHANGE_METHODS = require_http_methods(["GET", "POST"])


def _show(form, error: ContextInputError) -> None:
    """Put a service's refusal on its field, or at the top (a hidden field shows nothing)."""
    visible = error.field in form.fields and not form.fields[error.field].widget.is_hidden
    form.add_error(error.field if visible else None, error.reason)


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def case_list(request):
    """Open context cases the user may see."""
    if not permissions.may_view_cases(request.user):
        return not_found(request)
    cases = case_selectors.case_list(user=request.user)
    return render(request, "contexts/case_list.html", {
        "cases": cases, "may_manage": permissions.may_manage(request.user),
        "may_analyse": permissions.may_analyse(request.user)})


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
@limit_reports
def refer(request):
    """Refer a place, group or school; licensing officers and the community refer places."""
    kinds = permissions.refer_kinds(request.user)
    if not kinds:
        return not_found(request)
    # A post with nothing in it is still a post: it gets field errors, not a blank form.
    form = forms.ReferForm(request.POST if request.method == "POST" else None, kinds=kinds,
                           places=case_selectors.places_to_refer(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        try:
            case = services.refer(actor=request.user, kind=kind, reason=data["reason"],
                                  seen_on=data.get("seen_on"),
                                  described_place=form.described_place(),
                                  **({kind: data[kind]} if data.get(kind) != NOT_LISTED else {}))
        except ContextInputError as error:
            _show(form, error)
        except NotAllowed:
            return not_found(request)
        else:
            if permissions.may_view_cases(request.user):
                return redirect("contexts:case", case.pk)
            return render(request, "contexts/referred.html", {"case": case})
    status = 400 if request.method == "POST" else 200
    return render(request, "contexts/refer.html", {"form": form}, status=status)


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def case(request, pk):
    """One context case: subject, children affected, assessment, plan, reviews, outcomes."""
    # A group of many children, a long plan, years of reviews: each pages on its own, its page
    # in the address under its own name.
    lists = ("children", "adults", "plan", "reviews")
    children_q, adults_q, plan_q, reviews_q = (
        read_query(request.GET, sorts=(("listed", "As listed"),), page_param=name,
                   keep=[other for other in lists if other != name]) for name in lists)
    page = case_selectors.case_page(user=request.user, pk=pk, query=children_q,
                                     adults_query=adults_q)
    if page is None:
        return not_found(request)
    corrections = list(page.case.corrections.select_related("corrected_by"))
    plan = page_of(plan_q, page.case.interventions.select_related("owner"), what="interventions")
    reviews_paged = page_of(reviews_q, page.case.reviews.select_related("reviewed_by"),
                            what="reviews")
    interventions, reviews = plan.rows, reviews_paged.rows
    latest = page.case.assessments.select_related("assessed_by").first()
    for kind, rows in ((CorrectedRecord.INTERVENTION, interventions),
                       (CorrectedRecord.REVIEW, reviews),
                       (CorrectedRecord.ASSESSMENT, [latest] if latest else [])):
        for row in rows:  # each shows its own corrections, oldest first
            row.corrections_shown = [c for c in corrections
                                     if c.record == kind and c.record_id == row.pk]
    return render(request, "contexts/case.html", {
        "page": page, "case": page.case, "statuses": InterventionStatus.choices,
        "interventions": interventions, "reviews": reviews, "latest": latest,
        "children_paged": page.children_shown, "adults_paged": page.adults_shown,
        "plan_paged": plan, "reviews_paged": reviews_paged,
        "queries": (children_q, adults_q, plan_q, reviews_q),
        "referral_corrections": [c for c in corrections
                                 if c.record == CorrectedRecord.REFERRAL]})


def _confirm_closed(request, case, done: str) -> None:
    """Say the case is closed and which programme placements ended with it."""
    ended = [e.name for e in getattr(case, "placements_ended", [])]
    if ended:
        done += (" These programme placements ended with it (withdrawn, case closed) and "
                 "their places went back: " + ", ".join(ended) + ".")
    messages.success(request, done)


def _change(request, pk, *, form_class, template, call, form_kwargs=None, initial_from=None,
            page=None):
    """The shared shape of a case change: load, validate, call the service, show errors.

    `initial_from(case)` fills the form with what is recorded (a correction starts from it);
    `page` is the heading, the words on the button and a line saying what happens."""
    with transaction.atomic():
        case = case_selectors.case_for_change(user=request.user, pk=pk)
    if case is None or not case.is_open:
        return not_found(request)
    initial = {"version": case.version, **(initial_from(case) if initial_from else {})}
    if initial_from and initial.get("missing"):
        return not_found(request)
    form = form_class(request.POST or None, initial=initial, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            call(case, form)
        except ContextInputError as error:
            _show(form, error)
        except NotAllowed:
            return not_found(request)
        else:
            return redirect(reverse("contexts:case", args=[case.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, "case": case, **(page or {})},
                  status=status)


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
def assess(request, pk):
    """Assess the context against the toolkit's prompts."""
    kind = case_selectors.visible_cases(request.user).filter(pk=pk).values_list(
        "kind", flat=True).first() or "place"

    def call(case, form):
        d = form.cleaned_data
        services.assess(actor=request.user, case_id=case.pk, version=d["version"],
                        answers=form.answers(), summary=d["summary"])

    return _change(request, pk, form_class=forms.AssessmentForm, call=call,
                   template="contexts/case_form.html", form_kwargs={"kind": kind})


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
def plan(request, pk):
    """Add an intervention to the context plan."""
    def call(case, form):
        d = form.cleaned_data
        services.plan_intervention(actor=request.user, case_id=case.pk, version=d["version"],
                                   kind=d["kind"], description=d["description"],
                                   owner=d["owner"], due_on=d["due_on"])

    return _change(request, pk, form_class=forms.InterventionForm, call=call,
                   template="contexts/case_form.html", page={"programmes_elsewhere": True})


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
def intervention_status(request, pk):
    """Move an intervention on."""
    def call(case, form):
        d = form.cleaned_data
        services.set_intervention_status(
            actor=request.user, case_id=case.pk, version=d["version"],
            intervention_id=d["intervention"], status=d["status"])

    return _change(request, pk, form_class=forms.InterventionStatusForm, call=call,
                   template="contexts/case_form.html")


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
def review(request, pk):
    """Record a review of the case."""
    def call(case, form):
        d = form.cleaned_data
        services.review(actor=request.user, case_id=case.pk, version=d["version"],
                        summary=d["summary"], next_review_on=d.get("next_review_on"))

    return _change(request, pk, form_class=forms.ReviewForm, call=call,
                   template="contexts/case_form.html")


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
def close(request, pk):
    """Close the case with a reason."""
    def call(case, form):
        d = form.cleaned_data
        closed = services.close(actor=request.user, case_id=case.pk, version=d["version"],
                                reason=d["reason"], note=d.get("note", ""))
        _confirm_closed(request, closed, "The case is closed.")

    return _change(request, pk, form_class=forms.CloseForm, call=call,
                   template="contexts/case_form.html")


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
def correct_referral(request, pk):
    """Put the referral right (what was seen, and when) with a reason."""
    def call(case, form):
        d = form.cleaned_data
        services.correct_referral(actor=request.user, case_id=case.pk, version=d["version"],
                                  referral_reason=d["referral_reason"],
                                  seen_on=d.get("seen_on"), why=d["correction_reason"])

    return _change(request, pk, form_class=forms.CorrectReferralForm, call=call,
                   template="contexts/case_form.html",
                   initial_from=lambda case: {"referral_reason": case.referral_reason,
                                              "seen_on": case.seen_on},
                   page={"heading": "Correct the referral", "button": "Save the correction",
                         "intro": "What it said before stays on the case with your reason."})


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
def withdraw_referral(request, pk):
    """Withdraw a referral made by mistake, with a reason: the case closes and stays."""
    def call(case, form):
        d = form.cleaned_data
        withdrawn = services.withdraw_referral(actor=request.user, case_id=case.pk,
                                               version=d["version"], reason=d["reason"])
        _confirm_closed(request, withdrawn, "The referral is withdrawn and the case closed.")

    return _change(request, pk, form_class=forms.WithdrawReferralForm, call=call,
                   template="contexts/case_form.html",
                   page={"heading": "Withdraw the referral", "button": "Withdraw the referral",
                         "warning": True,
                         "intro": "Withdraw a referral that was made by mistake. The case "
                                  "closes; it is not deleted, and shows who withdrew it "
                                  "and why."})


def _intervention_initial(request, pk):
    wanted = request.GET.get("intervention") or request.POST.get("intervention") or ""

    def initial(case):
        number = whole_number(wanted)
        found = case.interventions.filter(pk=number).first() if number else None
        if found is None:
            return {"missing": True}
        return {"intervention": found.pk, "description": found.description,
                "owner": found.owner_id, "due_on": found.due_on}

    return initial


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
def correct_intervention(request, pk):
    """Put a planned intervention right (what, who owns it, by when) with a reason."""
    def call(case, form):
        d = form.cleaned_data
        services.correct_intervention(
            actor=request.user, case_id=case.pk, version=d["version"],
            intervention_id=d["intervention"], description=d["description"],
            owner=d["owner"], due_on=d["due_on"], why=d["correction_reason"])

    return _change(request, pk, form_class=forms.CorrectInterventionForm, call=call,
                   template="contexts/case_form.html",
                   initial_from=_intervention_initial(request, pk),
                   page={"heading": "Correct an intervention", "button": "Save the correction",
                         "intro": "What it said before stays on the case with your reason."})


def _row_initial(request, related: str, key: str, values):
    """Initial values from one of the case's rows named by `?<key>=<id>` (absent: 404)."""
    wanted = request.GET.get(key) or request.POST.get(key) or ""

    def initial(case):
        number = whole_number(wanted)
        found = getattr(case, related).filter(pk=number).first() if number else None
        return {"missing": True} if found is None else {key: found.pk, **values(found)}

    return initial


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
def correct_review(request, pk):
    """Put a review right (what changed, next review) with a reason."""
    def call(case, form):
        d = form.cleaned_data
        services.correct_review(actor=request.user, case_id=case.pk, version=d["version"],
                                review_id=d["review"], summary=d["summary"],
                                next_review_on=d.get("next_review_on"),
                                why=d["correction_reason"])

    return _change(request, pk, form_class=forms.CorrectReviewForm, call=call,
                   template="contexts/case_form.html",
                   initial_from=_row_initial(request, "reviews", "review", lambda r: {
                       "summary": r.summary, "next_review_on": r.next_review_on}),
                   page={"heading": "Correct a review", "button": "Save the correction",
                         "intro": "What it said before stays on the case with your reason."})


@access_rule(PERSONAL_DATA)
@login_required
@CHANGE_METHODS
@fail_closed
def correct_assessment(request, pk):
    """Put an assessment right (summary and answers) with a reason."""
    kind = case_selectors.visible_cases(request.user).filter(pk=pk).values_list(
        "kind", flat=True).first() or "place"

    def call(case, form):
        d = form.cleaned_data
        services.correct_assessment(actor=request.user, case_id=case.pk, version=d["version"],
                                    assessment_id=d["assessment"], answers=form.answers(),
                                    summary=d["summary"], why=d["correction_reason"])

    return _change(request, pk, form_class=forms.CorrectAssessmentForm, call=call,
                   template="contexts/case_form.html", form_kwargs={"kind": kind},
                   initial_from=_row_initial(request, "assessments", "assessment", lambda a: {
                       "summary": a.summary,
                       **{f"prompt_{k}": v for k, v in a.answers.items()}}),
                   page={"heading": "Correct the assessment", "button": "Save the correction",
                         "intro": "What it said before stays on the case with your reason."})
