"""The managers' clocks list: every open clock of the children they may see, worked as a queue."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saferoptions.access import policy
from saferoptions.access.http import fail_closed
from saferoptions.access.routes import ROLES, access_rule

from ..selectors.clocks import clock_list, read_clock_query


@access_rule(ROLES, roles=policy.roles_with("oversee_cases"))
@login_required
@require_GET
@fail_closed
def clocks_page(request):
    """Open clocks, overdue first by default; sort, filters and page in the address."""
    query = read_clock_query(request.GET)
    found = clock_list(user=request.user, query=query)
    return render(request, "cases/overdue.html",
                  {"clocks": found, "query": query, "paged": found.paged},
                  status=400 if query.problems else 200)
