"""The Hub's list of people no address places, and placing one by hand. Thin: parse, call a
selector or the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.routes import ROLES, access_rule

from . import selectors
from .forms import PageForm, PlaceForm
from .localities import PLACERS, PlacementRefused, place_person


@access_rule(ROLES, roles=PLACERS)
@login_required
@fail_closed
def unplaced(request):
    """People in no locality, newest first, with why, for the Hub to place."""
    form = PageForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "people/unplaced.html", {"form": form}, status=400)
    page = (form.cleaned_data.get("page") if form.is_bound else None) or 1
    found = selectors.unplaced_people(user=request.user, page=page)
    return render(request, "people/unplaced.html", {"form": form, "found": found})


@access_rule(ROLES, roles=PLACERS)
@login_required
@fail_closed
def place(request, public_id):
    """Say which locality's teams serve a person their addresses do not place."""
    found = selectors.unplaced_person(user=request.user, public_id=public_id)
    if found is None:
        return not_found(request, str(public_id))
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            place_person(actor=request.user, person=found.person, **form.cleaned_data)
        except PlacementRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            shown = selectors.shown_people(user=request.user, people=[found.person])
            messages.success(request, f"{shown[found.person.pk].display_name} is now in "
                                      f"{form.cleaned_data['locality'].name}.")
            return redirect("people:unplaced")
    return render(request, "people/place.html", {"found": found, "form": form},
                  status=400 if form.errors else 200)
