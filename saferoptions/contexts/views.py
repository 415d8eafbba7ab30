"""Place and group pages: people the user may not see appear only as masked stubs."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.routes import PERSONAL_DATA, access_rule

from . import selectors


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def place(request, pk):
    page = selectors.place_page(user=request.user, pk=pk, params=request.GET)
    if page is None:
        return not_found(request)
    return render(request, "contexts/context.html", {"page": page, "kind": "Place"})


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def group(request, pk):
    page = selectors.group_page(user=request.user, pk=pk, params=request.GET)
    if page is None:
        return not_found(request)
    return render(request, "contexts/context.html", {"page": page, "kind": "Group"})
