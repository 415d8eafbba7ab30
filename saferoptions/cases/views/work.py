"""A worker's own work, and a team manager's caseload and allocation (the clocks list is
in `clocks.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from saferoptions.access import policy
from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.routes import ROLES, access_rule

from .. import services
from ..forms import AllocationForm
from ..selectors.caseload import team_caseload, team_workers
from ..selectors.child import open_child
from ..selectors.my_children import my_children, read_children_query
from ..selectors.work import my_work
from .common import personal, refuse, transaction

ALLOCATORS = policy.roles_with("allocate_within_team")
PAGES = ("page", "unallocated_page", "overdue_page", "children_page")


@personal()
def my_work_page(request):
    """The children I work with (clocks, tasks; sort, filters and page in the address), then
    my clocks, assessments and actions."""
    query = read_children_query(request.GET)
    paged = my_children(user=request.user, query=query)
    context = {"paged": paged, "query": query, "work": my_work(user=request.user)}
    return render(request, "cases/my_work.html", context, status=400 if query.problems else 200)


@access_rule(ROLES, roles=ALLOCATORS)
@login_required
@require_GET
@fail_closed
def team_page(request):
    """The team's caseload per worker, unallocated and overdue work (team managers)."""
    pages = {name: request.GET.get(name) for name in PAGES}
    caseload = team_caseload(user=request.user, pages=pages,
                             worker_id=request.GET.get("worker"))
    return render(request, "cases/team.html", {"caseload": caseload})


@access_rule(ROLES, roles=ALLOCATORS)
@login_required
@require_http_methods(["GET", "POST"])
@fail_closed
def allocate(request, public_id):
    """Allocate a child to a worker of the manager's team (the `team_manager` row of team_rules)."""
    with transaction.atomic():
        child = open_child(request.user, public_id, what="team_member", change=True)
    if child is None:
        return not_found(request, str(public_id))
    workers = team_workers(request.user)
    form = AllocationForm(request.POST if request.method == "POST" else None, workers=workers)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_team_member(
                actor=request.user, person=child.person, user=form.cleaned_data["user"],
                role=form.cleaned_data["role"], reason=form.cleaned_data["reason"])
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, f"{member.user} now works with {child.person.display_name}.")
            return redirect("cases:team")
    status = 400 if form.errors else 200
    return render(request, "cases/allocate.html", {"form": form, "person": child.person},
                  status=status)
