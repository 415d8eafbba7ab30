"""Participation activities: recorded and listed by those who run the participation strands
(the duty `schedule_outreach`: the Hub, the locality chairs and the catalogue manager)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from saferoptions.access import policy
from saferoptions.access.http import not_found
from saferoptions.access.routes import ROLES
from saferoptions.cases.correction_forms import WithdrawForm
from saferoptions.cases.services.corrections import history
from saferoptions.core.numbers import whole_number

from . import participation_selectors, services
from .forms import ParticipationCorrectionForm, ParticipationForm
from .services.participation import CHILDREN, REVISION_TYPE, RUNS_PARTICIPATION
from .views import page, refuse

RUNS = policy.roles_with(RUNS_PARTICIPATION)


@page(ROLES, roles=RUNS)
def participation(request):
    """Activities latest first, paged, by strand; children named only where the reader may."""
    strands = list(participation_selectors.strands())
    chosen = whole_number(request.GET.get("strand"))
    chosen = chosen if chosen in {s.pk for s in strands} else None
    with transaction.atomic():
        found = participation_selectors.activities(user=request.user, programme_id=chosen,
                                                   page=request.GET.get("page"))
    return render(request, "interventions/participation.html", {
        "page": found, "strands": strands, "strand": chosen,
        "keep": f"strand={chosen or ''}&"})


@page(ROLES, "GET", "POST", roles=RUNS)
def participation_new(request):
    form = ParticipationForm(request.POST or None,
                             initial={"locality": request.user.locality_id})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.record_activity(actor=request.user, **form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "Participation activity recorded.")
            return redirect("interventions:participation")
    return render(request, "interventions/participation_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


LABELS = {"programme": "Strand", "held_on": "Date held", "locality": "Locality",
          "what_happened": "What happened", "young_people": "Young people",
          "parents_carers": "Parents and carers", "own_words": "The young people's own words",
          CHILDREN: "Children who took part"}


def _change(request, pk, form_class, initial, act, done, *, withdrawing=False):
    """Open the activity (absent, not the reader's locality, or not their duty: the common
    404), validate, call the service; the same form again with the error when refused."""
    with transaction.atomic():
        found = participation_selectors.for_change(user=request.user, pk=pk)
    if found is None:
        return not_found(request)
    form = form_class(request.POST or None, initial=initial(found))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                act(found.activity, form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, done)
            return redirect("interventions:participation")
    return render(request, "interventions/participation_change.html", {
        "form": form, "row": found, "a": found.activity, "withdrawing": withdrawing,
        "history": history(REVISION_TYPE, found.activity.pk, LABELS)},
        status=400 if form.is_bound else 200)


def _as_recorded(found):
    a = found.activity
    return {"programme": a.programme_id, "held_on": a.held_on, "locality": a.locality_id,
            "what_happened": a.what_happened, "young_people": a.young_people,
            "parents_carers": a.parents_carers, "own_words": a.own_words,
            "children": "\n".join(str(c.public_id) for c in found.children)}


@page(ROLES, "GET", "POST", roles=RUNS)
def participation_correct(request, pk):
    """Correct an activity with a reason; what it said before is kept as its history."""
    return _change(request, pk, ParticipationCorrectionForm, _as_recorded,
                   lambda activity, data: services.correct_activity(
                       actor=request.user, activity=activity, **data),
                   "Participation activity corrected; what it said before is in its history.")


@page(ROLES, "GET", "POST", roles=RUNS)
def participation_withdraw(request, pk):
    """Withdraw an activity recorded in error: kept, marked, out of the counts."""
    return _change(request, pk, WithdrawForm, lambda found: {},
                   lambda activity, data: services.withdraw_activity(
                       actor=request.user, activity=activity, reason=data["reason"]),
                   "Participation activity withdrawn; it stays on the list, marked withdrawn.",
                   withdrawing=True)
