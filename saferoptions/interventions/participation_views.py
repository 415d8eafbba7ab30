"""Participation activities: recorded and listed by those who run the participation strands
(the duty `schedule_outreach`: the Hub, the locality chairs and the catalogue manager)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from saferoptions.access import policy
from saferoptions.access.routes import ROLES

from . import participation_selectors, services
from .forms import ParticipationForm
from .services.participation import RUNS_PARTICIPATION
from .views import page, refuse

RUNS = policy.roles_with(RUNS_PARTICIPATION)


@page(ROLES, roles=RUNS)
def participation(request):
    """Activities latest first, paged, by strand; children named only where the reader may."""
    strands = list(participation_selectors.strands())
    chosen = request.GET.get("strand", "")
    chosen = int(chosen) if chosen.isdigit() and int(chosen) in {s.pk for s in strands} else None
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
