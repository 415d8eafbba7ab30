"""Find support for a group or a place, from its context case (docs/interventions.md)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from saferoptions.access.http import not_found
from saferoptions.access.routes import PERSONAL_DATA
from saferoptions.contexts.errors import ContextInputError, NotAllowed
from saferoptions.core import clock

from . import context_selectors, services, workforce_selectors
from .forms import ContextPlacementForm, PlacementEndForm
from .models import ContextPlacement, Programme
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


def _submit(form, call):
    """(what the service returned, False); a refusal lands on the form: (None, False); a
    change the user may not make: (None, True), for the common 404."""
    try:
        return call(), False
    except services.Refused as error:
        refuse(form, error)
    except ContextInputError as error:
        form.add_error(error.field if error.field in form.fields
                       and error.field != "version" else None, error.reason)
    except NotAllowed:
        return None, True
    return None, False


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
        placement, forbidden = _submit(form, lambda: services.broker_for_context(
            actor=request.user, case_id=case.pk, version=d["version"], programme=item,
            team_id=int(d["team"]), reason=d["reason"], due_on=d["due_on"],
            practitioner_ids=d["practitioners"]))
        if forbidden:
            return not_found(request)
        if placement is not None:
            messages.success(request, f"{item.name} is on the plan: "
                             + ("a place is taken this month." if placement.holds_place
                                else "it is on the waiting list."))
            return redirect("contexts:case", pk=case.pk)
    return render(request, "interventions/context_broker.html", {
        "case": case, "p": item, "o": option, "form": form, "trained": trained,
        "where": locality}, status=400 if form.is_bound else 200)


@page(PERSONAL_DATA, "GET", "POST")
def end_placement(request, pk, placement_id):
    """End or cancel a placement: the plan row moves on and its place goes back."""
    with transaction.atomic():
        case = context_selectors.managed_case(request.user, pk)
        placement = case and ContextPlacement.objects.filter(case=case, pk=placement_id) \
            .select_related("programme", "team", "area__locality").first()
    if placement is None:
        return not_found(request)
    form = PlacementEndForm(request.POST if request.method == "POST" else None,
                            initial={"version": case.version})
    if form.is_valid():
        ended, forbidden = _submit(form, lambda: services.end_placement(
            actor=request.user, placement_id=placement.pk,
            version=form.cleaned_data["version"], reason=form.cleaned_data["end_reason"]))
        if forbidden:
            return not_found(request)
        if ended is not None:
            messages.success(request, f"{placement.programme.name} has ended: its place is "
                                      "given back to the programme.")
            return redirect("interventions:context-support", pk=case.pk)
    return render(request, "interventions/context_placement_end.html", {
        "case": case, "c": placement, "form": form}, status=400 if form.is_bound else 200)
