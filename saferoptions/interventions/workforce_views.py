"""The workforce register (the catalogue manager edits it) and outreach sessions (the Hub,
the locality chair and the catalogue manager schedule, staff and record them)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from saferoptions.access import policy
from saferoptions.access.http import not_found
from saferoptions.access.routes import ROLES
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.models import Locality
from saferoptions.core.numbers import whole_number
from saferoptions.core.queues import page_of, read_query

from . import services, workforce_selectors
from .models import RegisteredPractitioner
from .services.workforce import session_day
from .views import page, refuse
from .vocabulary import Training
from .workforce_forms import OutreachForm, PractitionerForm, SeenForm, StaffForm, TrainingForm

MANAGERS = policy.roles_with("manage_workforce")
OUTREACH = policy.roles_with("schedule_outreach")
READERS = tuple(sorted(set(MANAGERS) | set(OUTREACH)))


def _int(value):
    return whole_number(value)


# --- the register ------------------------------------------------------------------------------

@page(ROLES, roles=READERS)
def register(request):
    training = request.GET.get("training", "")
    training = training if training in Training.values else ""
    locality = _int(request.GET.get("locality"))
    with transaction.atomic():
        found = workforce_selectors.register(user=request.user, training=training,
                                             locality_id=locality, page=request.GET.get("page"))
    keep = f"training={training}&locality={locality or ''}&"
    return render(request, "interventions/register.html", {
        "page": found, "training": training, "locality": locality, "keep": keep,
        "trainings": Training.choices, "localities": Locality.objects.all(),
        "may_manage": policy.has_duty(request.user, "manage_workforce")})


def _save_practitioner(request, form, practitioner=None):
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        with transaction.atomic():
            return services.save_practitioner(
                actor=request.user, name=data["name"], agency=data["agency"],
                locality=data["locality"], practitioner=practitioner, version=data["version"])
    except services.Refused as error:
        refuse(form, error)
        return None


@page(ROLES, "GET", "POST", roles=MANAGERS)
def practitioner_new(request):
    form = PractitionerForm(request.POST or None)
    saved = _save_practitioner(request, form) if request.method == "POST" else None
    if saved:
        messages.success(request, "Added to the register. Now record their training.")
        return redirect("interventions:practitioner", pk=saved.pk)
    return render(request, "interventions/practitioner_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


@page(ROLES, "GET", "POST", roles=MANAGERS)
def practitioner_edit(request, pk):
    item = get_object_or_404(RegisteredPractitioner, pk=pk)
    form = PractitionerForm(request.POST or None, initial={
        "name": item.name, "agency": item.agency_id, "locality": item.locality_id,
        "version": item.version})
    saved = _save_practitioner(request, form, item) if request.method == "POST" else None
    if saved:
        messages.success(request, "Register entry saved.")
        return redirect("interventions:practitioner", pk=pk)
    return render(request, "interventions/practitioner_form.html", {"form": form, "p": item},
                  status=400 if form.is_bound else 200)


def _practitioner_page(request, item, form=None, status=200):
    with transaction.atomic():
        record(actor=request.user, action="view", object_type="registered_practitioner",
               object_ids=[item.pk])
    # Renewals add records and the earlier ones stay: in time, more than a page of them.
    query = read_query(request.GET, sorts=(("training", "By training"),))
    paged = page_of(query, item.trainings.select_related("recorded_by"), what="trainings")
    return render(request, "interventions/practitioner.html", {
        "p": item, "trainings": paged.rows, "paged": paged, "query": query,
        "form": form or TrainingForm(), "today": clock.today(),
        "may_manage": policy.has_duty(request.user, "manage_workforce")}, status=status)


@page(ROLES, roles=READERS)
def practitioner(request, pk):
    """One practitioner and their trainings, expired ones shown as expired."""
    return _practitioner_page(request, get_object_or_404(RegisteredPractitioner, pk=pk))


@page(ROLES, "POST", roles=MANAGERS)
def add_training(request, pk):
    item = get_object_or_404(RegisteredPractitioner, pk=pk)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.record_training(actor=request.user, practitioner=item,
                                         **form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "Training recorded.")
            return redirect("interventions:practitioner", pk=pk)
    return _practitioner_page(request, item, form, status=400)


# --- outreach sessions -----------------------------------------------------------------------

@page(ROLES, roles=OUTREACH)
def outreach(request):
    """Sessions per locality (the user's own; a city-wide user chooses), paged."""
    locality = _int(request.GET.get("locality")) if request.user.locality_id is None else None
    with transaction.atomic():
        found = workforce_selectors.sessions(user=request.user, locality_id=locality,
                                             page=request.GET.get("page"))
    return render(request, "interventions/outreach.html", {
        "page": found, "locality": locality, "keep": f"locality={locality or ''}&",
        "localities": Locality.objects.all() if request.user.locality_id is None else None})


@page(ROLES, "GET", "POST", roles=OUTREACH)
def outreach_new(request):
    form = OutreachForm(request.POST or None, locality_id=request.user.locality_id,
                        initial={"place": _int(request.GET.get("place"))})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.schedule_session(actor=request.user, **form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "Session scheduled. Now staff it from the register.")
            return redirect("interventions:outreach-session", pk=saved.pk)
    return render(request, "interventions/outreach_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


def _session_page(request, pk, status=200, **forms):
    with transaction.atomic():
        found = workforce_selectors.session(user=request.user, pk=pk)
        if found is None:
            return None
        trained = workforce_selectors.trained_available(
            user=request.user, training=found.programme.trained_in,
            locality_id=found.locality_id, day=session_day(found))
    query = read_query(request.GET, sorts=(("name", "By name"),))
    staff = page_of(query, found.staff.select_related("agency").order_by("name", "pk"),
                    what="staff")
    context = {"s": found, "staff": staff.rows, "paged": staff, "query": query,
               "trained": trained,
               "staff_form": StaffForm(), "seen_form": SeenForm(
                   initial={"seen": found.seen, "young_people_met": found.young_people_met})}
    context.update(forms)
    return render(request, "interventions/outreach_session.html", context, status=status)


@page(ROLES, roles=OUTREACH)
def outreach_session(request, pk):
    return _session_page(request, pk) or not_found(request)


SESSION_ACTIONS = {
    "staff": (StaffForm, lambda u, s, d: services.staff_session(
        actor=u, session=s, practitioner=d["practitioner"])),
    "seen": (SeenForm, lambda u, s, d: services.record_seen(
        actor=u, session=s, seen=d["seen"], young_people_met=d["young_people_met"])),
}


@page(ROLES, "POST", roles=OUTREACH)
def outreach_action(request, pk, action):
    """Staff the session from the register, or record what was seen afterwards."""
    if action not in SESSION_ACTIONS:
        return not_found(request)
    form_class, act = SESSION_ACTIONS[action]
    form = form_class(request.POST)
    with transaction.atomic():
        found = workforce_selectors.session(user=request.user, pk=pk)
    if found is None:
        return not_found(request)
    if form.is_valid():
        try:
            with transaction.atomic():
                act(request.user, found, form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("interventions:outreach-session", pk=pk)
    return _session_page(request, pk, status=400, **{f"{action}_form": form})
