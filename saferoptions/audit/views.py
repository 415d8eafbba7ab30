"""The data protection officer's audit search."""

from django.shortcuts import render

from saferoptions.core.duties import holders
from saferoptions.core.routes import ROLES, access_rule

from . import selectors
from .forms import AuditSearchForm


@access_rule(ROLES, roles=holders("search_audit"))
def search(request):
    """Filter the audit log; every search is itself audited."""
    form = AuditSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        page = selectors.search(
            user=request.user, filters=form.cleaned_data, page=request.GET.get("page", 1)
        )
    elif not form.is_bound:
        page = selectors.search(user=request.user, filters={}, page=1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()}
    )
