"""The child's case formulation: read by those working with the child, written by the
clinical psychologist in the team around the child (or the Hub), each save a new version."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import redirect, render

from saferoptions.access.http import not_found
from saferoptions.access.routes import PERSONAL_DATA
from saferoptions.cases.selectors.child import open_child

from . import formulation_selectors, services
from .services.formulation import FACTORS, current_team_ids
from .views import page, refuse
from .workforce_forms import FormulationForm


@page(PERSONAL_DATA)
def formulation(request, public_id):
    """The current formulation and every earlier version the viewer may see."""
    with transaction.atomic():
        child = open_child(request.user, public_id, what="case_formulation")
        if child is None:
            return not_found(request, str(public_id))
        found = formulation_selectors.versions(user=request.user, child=child)
    return render(request, "interventions/formulation.html", {
        "person": child.person, "versions": found,
        "may_write": services.may_write(request.user, child)})


def _team(person):
    return get_user_model().objects.filter(pk__in=current_team_ids(person)).order_by("last_name")


@page(PERSONAL_DATA, "GET", "POST")
def write_formulation(request, public_id):
    """Write the first version or a corrected one (the earlier versions are kept)."""
    with transaction.atomic():
        child = open_child(request.user, public_id, what="case_formulation", change=True)
        if child is None or not services.may_write(request.user, child):
            return not_found(request, str(public_id))
        current = next(iter(formulation_selectors.versions(user=request.user, child=child)),
                       None)
    initial = {"based_on": current.version if current else 0}
    if current:
        initial |= {k: getattr(current, k) for k in FACTORS}
        initial["other_contributors"] = current.other_contributors
    form = FormulationForm(request.POST or None, initial=initial, team=_team(child.person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.write_formulation(
                    actor=request.user, child=child, values={k: data[k] for k in FACTORS},
                    contributor_ids=[int(i) for i in data["contributors"]],
                    other_contributors=data["other_contributors"], based_on=data["based_on"],
                    correction_reason=data["correction_reason"])
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "Case formulation saved.")
            return redirect("interventions:formulation", public_id=public_id)
    return render(request, "interventions/formulation_form.html", {
        "person": child.person, "form": form, "current": current},
        status=400 if form.is_bound else 200)
