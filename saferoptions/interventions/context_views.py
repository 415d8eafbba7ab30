"""Find support for a group or a place, from its context case (docs/interventions.md)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from saferoptions.access.http import not_found
from saferoptions.access.routes import PERSONAL_DATA
from saferoptions.contexts.errors import ContextInputError, NotAllowed
from saferoptions.core import clock

from . import context_selectors, services, workforce_selectors
from .forms import ContextPlacementForm
from .models import Programme
from .views import page, refuse


@page(PERSONAL_DATA)
def context_support(request, pk):
    """The programmes that work with the case's group or place, eligible by its locality."""
    with transaction.atomic():
        support = context_selectors.context_support(user=request.user, pk=pk)
    if support is None:
        return not_found(request)
    return render(request, "interventions/context_support.html", {"s": support,
                                                                   "case": support.case})


@page(PERSONAL_DATA, "GET", "POST")
def broker(request, pk, programme_id):
    """Choose one: the provider, why, when and the trained people; recorded on the plan."""
    with transaction.atomic():
        case = context_selectors.managed_case(request.user, pk)
        item = Programme.objects.filter(pk=programme_id).prefetch_related(
            "providers__team", "areas").first()
        if case is None or item is None:
            return not_found(request)
        locality = context_selectors.locality_of(case)
        trained = workforce_selectors.trained_available(
            user=request.user, training=item.trained_in,
            locality_id=locality.pk if locality else None, day=clock.today())
    option = next((o for o in context_selectors.options(case, locality)
                   if o.programme.pk == item.pk), None)
    if option is None:  # a programme that does not work with this kind of context
        return not_found(request)
    form = ContextPlacementForm(request.POST if request.method == "POST" else None,
                                programme=item, trained=trained,
                                initial={"version": case.version})
    if form.is_valid():
        d = form.cleaned_data
        try:
            placement = services.broker_for_context(
                actor=request.user, case_id=case.pk, version=d["version"], programme=item,
                team_id=int(d["team"]), reason=d["reason"], due_on=d["due_on"],
                practitioner_ids=d["practitioners"])
        except services.Refused as error:
            refuse(form, error)
        except ContextInputError as error:
            form.add_error(error.field if error.field in form.fields
                           and error.field != "version" else None, error.reason)
        except NotAllowed:
            return not_found(request)
        else:
            messages.success(request, f"{item.name} is on the plan: "
                             + ("a place is taken this month." if placement.holds_place
                                else "it is on the waiting list."))
            return redirect("contexts:case", pk=case.pk)
    return render(request, "interventions/context_broker.html", {
        "case": case, "p": item, "o": option, "form": form, "trained": trained,
        "where": locality}, status=400 if form.is_bound else 200)
