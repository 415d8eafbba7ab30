"""Interventions pages: thin views that validate, call a service or a selector, and render."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from saferoptions.access import policy
from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.routes import PERSONAL_DATA, ROLES, SIGNED_IN, access_rule
from saferoptions.cases.selectors.child import open_child
from saferoptions.core import clock
from saferoptions.core.models import Locality
from saferoptions.core.numbers import whole_number

from . import (
    formulation_selectors,
    outcome_selectors,
    selectors,
    services,
    workforce_selectors,
)
from .forms import (
    DeclineForm,
    EndForm,
    FeedbackLinkForm,
    RatingForm,
    ReferralForm,
    RiskJudgementForm,
    RouteForm,
    SessionForm,
    StartForm,
)
from .models import Programme
from .vocabulary import Level, WorksWith


def page(kind, *methods, roles=()):
    """The decorator stack every page shares: rule, sign-in, methods, fail closed."""
    def decorate(view):
        inner = fail_closed(require_http_methods(list(methods) or ["GET"])(view))
        return access_rule(kind, roles=roles)(login_required(wraps(view)(inner)))
    return decorate


def refuse(form, error: services.Refused) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- the catalogue (no personal data) ---------------------------------------------------------

@page(SIGNED_IN)
def catalogue(request):
    """Every programme in the catalogue, by level."""
    level = request.GET.get("level", "")
    if level not in Level.values:  # an address typed or mangled: the whole catalogue
        level = ""
    rows = Programme.objects.prefetch_related("providers__team", "areas__locality")
    if level:
        rows = rows.filter(level=level)
    found = Paginator(rows.order_by("level", "name"), selectors.PAGE_SIZE) \
        .get_page(request.GET.get("page"))
    return render(request, "interventions/catalogue.html", {
        "page": found, "level": level, "keep": f"level={level}&" if level else "",
        "may_manage": policy.has_duty(request.user, "manage_catalogue")})


@page(SIGNED_IN)
def programme(request, pk):
    """One programme: who it is for, providers, and this month's places (counts only)."""
    item = get_object_or_404(Programme.objects.prefetch_related("providers__team"), pk=pk)
    # The provider keeps its own lists exactly; any other reader, counts of children rounded.
    exact = outcome_selectors.need_to_know(request.user, item) is not None
    counts = selectors.programme_places(item, exact=exact)
    locality = _locality(request)
    return render(request, "interventions/programme.html", {
        "p": item, "places": counts, "places_rounded": not exact,
        "localities": Locality.objects.all(),
        "locality": locality, "trained": _trained(request, item, locality),
        # A context-case manager sees the suggestions but may not open the register itself.
        "may_open_register": any(policy.has_duty(request.user, d)
                                 for d in ("schedule_outreach", "manage_workforce")),
        "may_manage": policy.has_duty(request.user, "manage_catalogue"),
        "may_report": outcome_selectors.may_see_report(request.user, item)})


# Brokering group or place work suggests trained people to those who arrange it.
BROKERS = ("schedule_outreach", "manage_workforce", "manage_context_cases")


def _locality(request):
    chosen = whole_number(request.GET.get("locality"))
    return Locality.objects.filter(pk=chosen).first() if chosen else request.user.locality


def _trained(request, item: Programme, locality):
    """People with the programme's training current today, in the locality or city-wide."""
    if item.works_with not in (WorksWith.GROUP, WorksWith.PLACE) or not item.trained_in:
        return None
    if not any(policy.has_duty(request.user, duty) for duty in BROKERS):
        return None
    with transaction.atomic():
        return workforce_selectors.trained_available(
            user=request.user, training=item.trained_in,
            locality_id=locality.pk if locality else None, day=clock.today())


# --- a child: find support, the recorded risk level, referral ---------------------------------

def _route(request) -> str:
    form = RouteForm(request.GET)
    chosen = form.cleaned_data.get("route_in") if form.is_valid() else ""
    return chosen or selectors.default_route_in(request.user)


@page(PERSONAL_DATA)
def find_support(request, public_id):
    """The programmes the child is eligible for, with why; the others greyed, with why not."""
    return _support_page(request, public_id)


def _support_page(request, public_id, risk_form=None, status=200):
    route = _route(request)
    with transaction.atomic():
        child, judgement, options = selectors.find_support(user=request.user,
                                                           public_id=public_id, route_in=route)
        formulation = formulation_selectors.versions(user=request.user, child=child)[:1] \
            if child else []
    if child is None:
        return not_found(request, str(public_id))
    eligible, other = options
    return render(request, "interventions/find_support.html", {
        "child": child, "person": child.person, "judgement": judgement,
        "eligible": eligible, "other": other, "route_form": RouteForm(initial={"route_in": route}),
        "route": route, "may_change": child.may_change,
        "risk_form": risk_form or RiskJudgementForm(
            initial={"level": judgement.level, "needs": judgement.needs} if judgement else None),
        "referrals": selectors.child_referrals(child.person),
        "formulation": formulation[0] if formulation else None}, status=status)


@page(PERSONAL_DATA, "POST")
def record_risk(request, public_id):
    """Record the practitioner's judgement of risk and needs (from the plan or assessment)."""
    form = RiskJudgementForm(request.POST)
    with transaction.atomic():
        child = open_child(request.user, public_id, what="find_support", change=True)
        if child is None:
            return not_found(request, str(public_id))
        if form.is_valid():
            services.record_risk_judgement(actor=request.user, person=child.person,
                                           level=form.cleaned_data["level"],
                                           needs=form.cleaned_data["needs"])
    if not form.is_valid():
        return _support_page(request, public_id, risk_form=form, status=400)
    messages.success(request, "Risk level and needs recorded.")
    return redirect("interventions:find-support", public_id=public_id)


@page(PERSONAL_DATA, "GET", "POST")
def refer(request, public_id, programme_id):
    """Make a referral: consent, and a reason wherever a rule or consent is missing."""
    item = Programme.objects.filter(pk=programme_id, is_active=True,
                                    takes_referrals=True).first()
    with transaction.atomic():
        child = open_child(request.user, public_id, what="intervention_referral", change=True)
    if child is None or item is None:
        return not_found(request, str(public_id))
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data, programme=item, initial={"route_in": _route(request)})
    if form.is_valid():
        try:
            with transaction.atomic():
                referral = services.refer(actor=request.user, person=child.person,
                                          programme=item, team_id=int(form.cleaned_data["team"]),
                                          **{k: form.cleaned_data[k] for k in (
                                              "route_in", "reason", "young_person_consent",
                                              "parent_consent", "without_consent_reason",
                                              "ineligible_reason")},
                                          decision=child.decision)
        except services.Refused as error:
            refuse(form, error)
        else:
            return redirect("interventions:referral", pk=referral.pk)
    route = form.data.get("route_in") or _route(request)
    option = selectors.option_for(child.person, item, route_in=route,
                                  decision=child.decision)
    return render(request, "interventions/refer.html", {
        "child": child, "person": child.person, "p": item, "form": form, "option": option,
        "parent_needed": services.parent_consent_needed(item, option.age)},
        status=400 if form.is_bound else 200)


# --- a referral: the referrer's and the provider's page ---------------------------------------

ACTIONS = {
    "accept": (None, lambda u, r, d: services.accept(actor=u, referral=r)),
    "decline": (DeclineForm, lambda u, r, d: services.decline(actor=u, referral=r,
                                                            reason=d["decline_reason"])),
    "start": (StartForm, lambda u, r, d: services.start(actor=u, referral=r,
                                                        started_on=d["started_on"])),
    "end": (EndForm, lambda u, r, d: services.end(actor=u, referral=r, reason=d["end_reason"],
                                                  outcome=d["outcome"])),
    "session": (SessionForm, lambda u, r, d: services.record_session(
        actor=u, referral=r, held_on=d["held_on"], attended=d["attended"] == "yes",
        note=d["note"])),
    "rating": (RatingForm, lambda u, r, d: services.record_worker_rating(
        actor=u, referral=r, rating=d["rating"], words=d["words"])),
}


def _referral_page(request, referral, child, status=200, **forms):
    measures, known_on = outcome_selectors.referral_measures(decision=child.decision,
                                                             referral=referral)
    context = {"r": referral, "child": child, "person": child.person,
               "measures": measures, "measures_known_on": known_on,
               "ratings": outcome_selectors.ratings(referral), "rating_form": RatingForm(),
               "link_form": FeedbackLinkForm(),
               "link_days": settings.INTERVENTIONS_FEEDBACK_LINK_DAYS,
               "position": selectors.position(referral),
               "sessions": list(referral.sessions.select_related("recorded_by")[:50]),
               "is_provider": request.user.team_id == referral.team_id,
               "decline_form": DeclineForm(), "start_form": StartForm(), "end_form": EndForm(),
               "session_form": SessionForm()}
    context.update(forms)
    return render(request, "interventions/referral.html", context, status=status)


@page(PERSONAL_DATA)
def referral(request, pk):
    with transaction.atomic():
        found, child = selectors.open_referral(request.user, pk)
    if found is None:
        # No reference for emergency access: break-glass opens a child, and a referral's
        # number is not a child's reference (naming the child would say the referral exists).
        return not_found(request)
    return _referral_page(request, found, child)


@page(PERSONAL_DATA, "POST")
def referral_action(request, pk, action):
    """Accept, decline, start, end or record a session; the page again with the error."""
    if action not in ACTIONS:
        return not_found(request)
    form_class, act = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    with transaction.atomic():
        found, child = selectors.open_referral(request.user, pk, change=True)
        if found is None:
            return not_found(request)
        if form is None or form.is_valid():
            try:
                with transaction.atomic():
                    act(request.user, found, form.cleaned_data if form else {})
            except services.Refused as error:
                if form is None:
                    messages.error(request, error.message)
                    return redirect("interventions:referral", pk=pk)
                refuse(form, error)
            else:
                return _after(request, found, action)
        found.refresh_from_db()
    return _referral_page(request, found, child, status=400, **{f"{action}_form": form})


# Said when the action ended the user's access to the child (their referral page is gone).
CLOSED = {"decline": "The referral is declined", "end": "The referral has ended"}


def _after(request, referral, action):
    """Back to the referral page; or, when declining or ending it took the child out of the
    provider's sight (the policy reads an open referral as their work with the child), to
    their list, said plainly, rather than to a "not found" page."""
    if action in CLOSED and policy.decision_for(request.user, referral.person) is None:
        messages.success(request, f"{CLOSED[action]}. The child is no longer on your list.")
        return redirect("interventions:provider" if request.user.team_id == referral.team_id
                        else "web:home")
    messages.success(request, "Saved.")
    return redirect("interventions:referral", pk=referral.pk)


# --- the provider's view and the data protection officer's list --------------------------------

@page(PERSONAL_DATA)
def provider(request):
    """The provider team's referrals, caseload and places."""
    with transaction.atomic():
        found = selectors.provider_referrals(user=request.user, page=request.GET.get("page"))
    return render(request, "interventions/provider.html", {
        "page": found, "counts": selectors.provider_counts(request.user.team_id),
        "team": request.user.team})


@page(ROLES, roles=policy.roles_with("review_consent_overrides"))
def consent_overrides(request):
    """Every referral made without consent, with its reason, for the data protection officer."""
    with transaction.atomic():
        found = selectors.consent_overrides(user=request.user, page=request.GET.get("page"))
    return render(request, "interventions/consent_overrides.html", {"page": found})
