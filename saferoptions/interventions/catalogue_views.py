"""The catalogue manager's pages: programmes, who they are for, providers and monthly places.

Every change is a service with an audit row; only roles with the duty `manage_catalogue`
reach these pages (anyone else gets the common 404).
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from saferoptions.access import policy
from saferoptions.access.routes import ROLES

from . import selectors, services
from .forms import AreaForm, PlacesForm, ProgrammeForm, ProviderForm
from .models import Programme
from .services.catalogue import FIELDS
from .views import page, refuse

MANAGERS = policy.roles_with("manage_catalogue")


def _save(request, form, programme=None):
    if not form.is_valid():
        return None
    values = {k: form.cleaned_data[k] for k in FIELDS if k in form.cleaned_data}
    try:
        with transaction.atomic():
            return services.save_programme(actor=request.user, values=values,
                                           programme=programme,
                                           version=form.cleaned_data.get("version"))
    except services.Refused as error:
        refuse(form, error)
        return None


@page(ROLES, "GET", "POST", roles=MANAGERS)
def programme_new(request):
    form = ProgrammeForm(request.POST or None, initial={"takes_referrals": True,
                                                        "is_active": True})
    saved = _save(request, form) if request.method == "POST" else None
    if saved:
        messages.success(request, "Programme added. Now add its providers and places.")
        return redirect("interventions:programme-places", pk=saved.pk)
    return render(request, "interventions/programme_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


@page(ROLES, "GET", "POST", roles=MANAGERS)
def programme_edit(request, pk):
    item = get_object_or_404(Programme, pk=pk)
    initial = {k: getattr(item, k) for k in FIELDS} | {"version": item.version}
    form = ProgrammeForm(request.POST or None, initial=initial)
    saved = _save(request, form, item) if request.method == "POST" else None
    if saved:
        messages.success(request, "Programme saved.")
        return redirect("interventions:programme", pk=saved.pk)
    return render(request, "interventions/programme_form.html", {"form": form, "p": item},
                  status=400 if form.is_bound else 200)


def _places_page(request, item, status=200, **forms):
    context = {"p": item, "places": selectors.programme_places(item),
               "area_form": AreaForm(), "provider_form": ProviderForm(), "failed_area": None}
    context.update(forms)
    return render(request, "interventions/programme_places.html", context, status=status)


@page(ROLES, roles=MANAGERS)
def programme_places(request, pk):
    return _places_page(request, get_object_or_404(Programme, pk=pk))


@page(ROLES, "POST", roles=MANAGERS)
def area_places(request, pk, area_id):
    """Change an area's places each month; refused below the places already taken."""
    item = get_object_or_404(Programme, pk=pk)
    area = get_object_or_404(item.areas, pk=area_id)
    form = PlacesForm(request.POST, auto_id=f"area{area.pk}_%s")
    if form.is_valid():
        try:
            with transaction.atomic():
                services.set_standing_places(actor=request.user, area=area,
                                             monthly_places=form.cleaned_data["monthly_places"])
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "Places saved.")
            return redirect("interventions:programme-places", pk=pk)
    return _places_page(request, item, status=400, places_form=form, failed_area=area.pk)


@page(ROLES, "POST", roles=MANAGERS)
def add_area(request, pk):
    item = get_object_or_404(Programme, pk=pk)
    form = AreaForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.add_area(actor=request.user, programme=item,
                                  locality=form.cleaned_data["locality"],
                                  monthly_places=form.cleaned_data["monthly_places"])
        except services.Refused as error:
            refuse(form, error)
        else:
            return redirect("interventions:programme-places", pk=pk)
    return _places_page(request, item, status=400, area_form=form)


@page(ROLES, "POST", roles=MANAGERS)
def add_provider(request, pk):
    item = get_object_or_404(Programme, pk=pk)
    form = ProviderForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.add_provider(actor=request.user, programme=item,
                                      team=form.cleaned_data["team"])
        except services.Refused as error:
            refuse(form, error)
        else:
            return redirect("interventions:programme-places", pk=pk)
    return _places_page(request, item, status=400, provider_form=form)
