"""Break-glass requests and reviews, and each child's access log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import BreakGlassForm, BreakGlassReviewForm
from .http import fail_closed, not_found
from .models import ReviewFinding
from .routes import PERSONAL_DATA, SIGNED_IN, access_rule


@access_rule(SIGNED_IN)
@login_required
@require_http_methods(["GET", "POST"])
@fail_closed
def break_glass(request):
    """Ask for emergency access. The answer never says whether the record exists."""
    if not services.may_break_glass(request.user):
        return not_found(request)
    if request.method == "GET":
        form = BreakGlassForm(initial={"person": request.GET.get("person", "")[:64]})
        return render(request, "access/break_glass.html", _form_context(form))
    form = BreakGlassForm(request.POST)
    if not form.is_valid():
        return render(request, "access/break_glass.html", _form_context(form), status=400)
    reference = form.cleaned_data["person"]
    services.request_break_glass(
        actor=request.user, person_reference=str(reference), reason=form.cleaned_data["reason"]
    )
    # The same redirect whether or not the record exists: the record page answers that.
    return redirect("people:detail", public_id=reference)


def _form_context(form) -> dict:
    return {"form": form, "hours": settings.BREAK_GLASS_HOURS}


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def break_glass_queue(request):
    """Break-glass grants for a reviewer, or for the children this user is lead professional for."""
    grants = selectors.break_glass_alerts(user=request.user)
    return render(request, "access/break_glass_queue.html", {
        "grants": grants, "repeat_hours": settings.BREAK_GLASS_REPEAT_HOURS,
        "repeat_after": _ordinal(settings.BREAK_GLASS_REPEAT_LIMIT + 1)})


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@access_rule(PERSONAL_DATA)
@login_required
@require_http_methods(["GET", "POST"])
@fail_closed
def break_glass_review(request, pk):
    """The reviewer's judgement on one emergency access: justified or not, and why."""
    grant = selectors.grant_to_review(user=request.user, pk=pk)
    if grant is None:
        return not_found(request)
    form = BreakGlassReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "access/break_glass_review.html", {
            "grant": grant, "form": form, "repeat_hours": settings.BREAK_GLASS_REPEAT_HOURS,
        }, status=status)
    services.review_break_glass(actor=request.user, grant=grant, **form.cleaned_data)
    messages.success(request, "Review recorded: " + (
        "justified." if form.cleaned_data["finding"] == ReviewFinding.JUSTIFIED else
        "not justified. The data protection officer and the person's team managers are told."))
    return redirect("access:break-glass-queue")


@access_rule(PERSONAL_DATA)
@login_required
@require_POST
@fail_closed
def break_glass_acknowledge(request, pk):
    found = selectors.alert_for(user=request.user, pk=pk)
    if found is None or not found[2]:
        return not_found(request)
    services.acknowledge_break_glass(actor=request.user, grant=found[0])
    return redirect("access:break-glass-queue")


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def access_log(request, public_id):
    """Who looked at this child's record, when and why."""
    found = selectors.access_log(user=request.user, public_id=public_id)
    if found is None:
        return not_found(request)
    person, entries = found
    return render(request, "access/access_log.html", {"person": person, "entries": entries})
