"""Outcome pages: the one-time feedback link (made, then used on a phone) and a programme's report.

The feedback page is public: the link is the only key. It shows the programme's name and
nothing else about the child, and every way a link can fail (not genuine, expired, used,
replaced) gives the same page, so a guess learns nothing.
"""

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from saferoptions.access.http import not_found
from saferoptions.access.routes import PERSONAL_DATA, PUBLIC, SIGNED_IN, access_rule

from . import outcome_selectors, participation_selectors, selectors, services, throttle
from .forms import FeedbackLinkForm, RatingForm
from .models import Programme
from .views import _referral_page, page, refuse


@page(PERSONAL_DATA, "POST")
def feedback_link(request, pk):
    """Make a one-time link for the young person or a parent; shown once, never stored."""
    form = FeedbackLinkForm(request.POST)
    with transaction.atomic():
        found, child = selectors.open_referral(request.user, pk, change=True)
        if found is None:
            return not_found(request)
        token = None
        if form.is_valid():
            try:
                with transaction.atomic():
                    token = services.create_feedback_link(
                        actor=request.user, referral=found,
                        respondent=form.cleaned_data["respondent"])
            except services.Refused as error:
                refuse(form, error)
    if token is None:
        return _referral_page(request, found, child, status=400, link_form=form)
    url = request.build_absolute_uri(reverse("interventions:feedback", args=[token]))
    return _referral_page(request, found, child, feedback_url=url,
                          feedback_for=form.cleaned_data["respondent"])


def _gone(request):
    return render(request, "interventions/feedback_gone.html", status=404)


@access_rule(PUBLIC)
@require_http_methods(["GET", "POST"])
@never_cache  # it names the child's programme, on a phone that may be shared, with no account
def feedback(request, token):
    """The young person's or parent's view, on a phone, from their one-time link."""
    if not throttle.allow(request):
        return render(request, "interventions/feedback_too_many.html", status=429)
    link = services.open_link(token)
    if link is None:
        return _gone(request)
    form = RatingForm(request.POST if request.method == "POST" else None)
    context = {"programme": link.referral.programme.name, "form": form,
               "for_parent": link.respondent == "parent"}
    if request.method == "GET" or not form.is_valid():
        return render(request, "interventions/feedback.html", context,
                      status=400 if form.is_bound else 200)
    with transaction.atomic():
        saved = services.record_feedback(token=token, rating=form.cleaned_data["rating"],
                                         words=form.cleaned_data["words"])
    if saved is None:
        return _gone(request)
    return render(request, "interventions/feedback_thanks.html", context)


@page(SIGNED_IN)
def programme_report(request, pk):
    """Referrals, take-up, completion, waits and before/after beside matched children."""
    item = get_object_or_404(Programme, pk=pk)
    if not outcome_selectors.may_see_report(request.user, item):
        raise Http404
    own = outcome_selectors.need_to_know(request.user, item) is not None
    own_team = own and request.GET.get("scope") == "team"
    with transaction.atomic():
        figures = outcome_selectors.report_for(user=request.user, programme=item,
                                               own_team=own_team)
        participation = participation_selectors.report_counts(
            item, suppress=figures["suppressed"], rounded=figures["rounded"])
    return render(request, "interventions/report.html", {
        "p": item, "f": figures, "own": own, "own_team": own_team,
        "participation": participation})
