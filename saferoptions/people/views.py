"""People pages: thin views over `selectors`, which read through the access policy."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.routes import PERSONAL_DATA, access_rule
from saferoptions.access.selectors import access_log_purpose
from saferoptions.core.exports import csv_writer

from . import selectors
from .forms import SearchForm


def _search_input(request):
    form = SearchForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    return form, valid, data.get("q") or "", data.get("page") or 1


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def search(request):
    """Find a child: everyone the user may see, filtered by name."""
    form, valid, query, page = _search_input(request)
    if not valid:
        return render(request, "people/search.html", {"form": form}, status=400)
    found = selectors.search_people(user=request.user, query=query, page=page)
    return render(request, "people/search.html", {"form": form, "found": found, "query": query})


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def export(request):
    """The same people as the list, as CSV."""
    form, valid, query, _ = _search_input(request)
    if not valid:
        return render(request, "people/search.html", {"form": form}, status=400)
    rows = selectors.export_people(user=request.user, query=query)
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    writer = csv_writer(response)  # partner text never becomes a spreadsheet formula
    writer.writerow(["reference", "given_name", "family_name", "date_of_birth", "kind"])
    for p in rows:
        writer.writerow([p.public_id, p.given_name, p.family_name, p.date_of_birth or "", p.kind])
    return response


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def detail(request, public_id):
    """A child's record: identities by agency, events, relationships and groups."""
    child = selectors.child_record(user=request.user, public_id=public_id, params=request.GET)
    if child is None:
        return not_found(request, str(public_id))
    return render(request, "people/detail.html", {
        "child": child, "person": child.person, "shown": child.shown,
        # Offer the access log only to those it opens for (others would meet a 404).
        "may_see_access_log": access_log_purpose(request.user, child.person) is not None,
    })
