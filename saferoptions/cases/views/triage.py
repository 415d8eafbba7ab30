"""The Hub's front door: the referral form, the locality queue and the decision screen."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render

from saferoptions.access.categories import Purpose
from saferoptions.core import clock
from saferoptions.core.floods import limit_reports
from saferoptions.core.numbers import whole_number
from saferoptions.people.models import Person

from .. import next_steps, services
from ..forms import (
    ConcernForm,
    CorrectionForm,
    DecisionForm,
    MatchForm,
    ReferralForm,
    WithdrawalForm,
)
from ..models import CaseNotification, ConcernSource, StatutoryClock, TriageOutcome
from ..selectors import triage as queue
from ..selectors.child import find_child, open_child
from ..services import triage as triage_services
from .common import not_found, personal, refuse, signed_in, transaction


@signed_in("GET", "POST")
@limit_reports
def refer(request):
    """Any partner may refer a child; they are told the outcome, never the child's record."""
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subject = {k: data[k] for k in ("given_name", "family_name", "date_of_birth")}
        try:
            concern = services.raise_concern(
                person=None, source=ConcernSource.PARTNER_REFERRAL, reason=data["reason"],
                raised_by=request.user, kind=data["kind"], locality=data["locality"],
                subject=subject)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, f"Your concern {concern.reference} is with the Hub. "
                                      "You will be told what they decide.")
            return redirect("cases:notifications")
    status = 400 if form.errors else 200
    return render(request, "cases/refer.html", {"form": form}, status=status)


@personal("GET", "POST")
def raise_for_child(request, public_id):
    """A practitioner working with the child raises a concern about them."""
    with transaction.atomic():
        child = open_child(request.user, public_id, what="case", change=True)
    if child is None:
        return not_found(request, str(public_id))
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_concern(person=child.person, source=ConcernSource.PRACTITIONER,
                                   reason=form.cleaned_data["reason"], raised_by=request.user,
                                   kind=form.cleaned_data["kind"])
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "The concern is in the Hub's triage queue.")
            return redirect("cases:child", public_id)
    return render(request, "cases/raise.html", {"form": form, "person": child.person},
                  status=400 if form.errors else 200)


@personal()
def triage_queue(request):
    """Concerns in the user's locality queue: sorted, filtered and paged from the address."""
    if not queue.may_triage(request.user):
        return not_found(request)
    query = queue.read_triage_query(request.user, request.GET)
    found = queue.triage_queue(user=request.user, query=query)
    return render(request, "cases/triage_queue.html",
                  {"queue": found, "query": query, "paged": found.paged,
                   "shown_at": int(clock.now().timestamp())},
                  status=400 if query.problems else 200)


@personal()
def triage_new(request):
    """How many concerns joined this view since the reader loaded it: a line, never the list."""
    if not queue.may_triage(request.user):
        return not_found(request)
    since = whole_number(request.GET.get("since"), most=10**11 - 1)  # seconds since 1970
    if since is None:
        return render(request, "cases/_triage_new.html", {"count": 0}, status=400)
    query = queue.read_triage_query(request.user, request.GET)
    count = queue.new_since(user=request.user, query=query,
                            since=dt.datetime.fromtimestamp(since, tz=dt.UTC))
    return render(request, "cases/_triage_new.html", {"count": count, "query": query})


@personal("GET", "POST")
def triage_concern(request, pk):
    """What partners know, on one screen, and the decision with its reasons."""
    picture = queue.concern_for_triage(user=request.user, pk=pk)
    if picture is None:
        return not_found(request)
    form = DecisionForm(request.POST or None, groups=picture.group_choices,
                        places=picture.place_choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decided = services.decide_concern(actor=request.user, concern=picture.concern,
                                              outcome=data["outcome"], reasons=data["reasons"],
                                              group=data["group"], place=data["place"])
        except services.Refused as error:
            refuse(form, error)
        else:
            return _after_decision(request, decided)
    return _triage_page(request, picture, form=form)


DECIDED = "Decision recorded; the referrer has been told."


def _after_decision(request, concern):
    """A referral to an intervention goes on to find support, so the referral names the
    programme; any other decision (or a child the Hub may not open) back to the queue."""
    if concern.outcome == TriageOutcome.INTERVENTION_REFERRAL and concern.person_id is None:
        messages.success(request, f"{DECIDED} This concern is not about a known child, so "
                                  "there is no one to find support for from it. Find support "
                                  "from the child's page once they are known.")
        return redirect("cases:triage")
    support = next_steps.support_after_decision(request.user, concern)
    if not support:
        messages.success(request, DECIDED)
        return redirect("cases:triage")
    messages.success(request, f"{DECIDED} Now choose the programme to refer "
                              f"{concern.person.display_name} to.")
    return redirect(support)


def _triage_page(request, picture, **forms):
    context = {"p": picture, "match_form": MatchForm(auto_id="match_%s"),
               "support_url": next_steps.support_after_decision(request.user, picture.concern)}
    context.update(forms)
    failed = any(f.errors for f in forms.values())
    return render(request, "cases/triage_concern.html", context, status=400 if failed else 200)


@personal("POST")
def match(request, pk):
    """Name the known child a partner's referral is about (only a child the Hub may triage)."""
    picture = queue.concern_for_triage(user=request.user, pk=pk)
    if picture is None:
        return not_found(request)
    form = MatchForm(request.POST, auto_id="match_%s")
    if form.is_valid():
        person = Person.objects.filter(public_id=form.cleaned_data["reference"],
                                       merged_into__isnull=True).first()
        child = find_child(request.user, person, purpose=Purpose.TRIAGE)
        if child is None:  # absent and not allowed read the same
            form.add_error("reference", "No child you may triage has this reference.")
        else:
            try:
                services.match_concern(actor=request.user, concern=picture.concern,
                                       person=child.person)
            except services.Refused as error:
                refuse(form, error)
            else:
                messages.success(request, "The concern is now on the child's record.")
                return redirect("cases:concern", pk)
    return _triage_page(request, picture, form=DecisionForm(
        groups=picture.group_choices, places=picture.place_choices), match_form=form)


@personal("GET", "POST")
def correct(request, pk):
    """The Hub corrects its decision with a reason; the decision as it was stays on file."""
    picture = queue.concern_for_triage(user=request.user, pk=pk)
    if picture is None:
        return not_found(request)
    c = picture.concern
    form = CorrectionForm(request.POST or None, groups=picture.group_choices,
                          places=picture.place_choices,
                          initial={"outcome": c.outcome, "reasons": c.outcome_reasons,
                                   "group": c.group_id, "place": c.place_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            triage_services.correct_decision(
                actor=request.user, concern=c, outcome=data["outcome"],
                reasons=data["reasons"], group=data["group"], place=data["place"],
                reason=data["reason"])
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "Decision corrected; the referrer has been told if the "
                                      "decision changed.")
            return redirect("cases:concern", pk)
    return render(request, "cases/concern_correct.html",
                  {"p": picture, "form": form,
                   "strategy_clock": _strategy_clock(c)},
                  status=400 if form.errors else 200)


def _strategy_clock(concern):
    """The strategy discussion clock the first decision started, if any (it keeps running)."""
    return StatutoryClock.objects.filter(key=f"strategy:concern:{concern.pk}").first()


@personal("GET", "POST")
def withdraw(request, pk):
    """The Hub withdraws an open concern in its queue with a reason; it stays on file."""
    found = queue.concern_to_withdraw(user=request.user, pk=pk)
    return _withdraw(request, found)


@personal("GET", "POST")
def withdraw_mine(request, reference):
    """The referrer withdraws their open concern, by the reference they were told."""
    found = queue.my_concern_to_withdraw(user=request.user, reference=reference)
    return _withdraw(request, found)


def _withdraw(request, found):
    if found is None:
        return not_found(request)
    concern = found.concern
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            triage_services.withdraw_concern(actor=request.user, concern=concern,
                                             reason=form.cleaned_data["reason"],
                                             by_hub=found.by_hub)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, f"Concern {concern.reference} is withdrawn. It stays on "
                                      "file, marked withdrawn with your reason.")
            if found.by_hub:
                return redirect("cases:concern", concern.pk)
            return redirect("cases:notifications")
    return render(request, "cases/concern_withdraw.html",
                  {"concern": concern, "by_hub": found.by_hub, "form": form},
                  status=400 if form.errors else 200)


@signed_in()
def notifications(request):
    """What happened to the concerns this user raised (no child's details in the message),
    and the ones still waiting, which they may withdraw if raised in error."""
    notes = CaseNotification.objects.filter(user=request.user)[:100]
    return render(request, "cases/notifications.html",
                  {"notes": notes, "waiting": queue.raised_by_me(request.user)})
