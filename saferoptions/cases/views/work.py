"""A worker's own work and a manager's list of late clocks."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saferoptions.access import policy
from saferoptions.access.http import fail_closed
from saferoptions.access.routes import ROLES, access_rule

from ..selectors.work import my_work, overdue
from .common import personal


@personal()
def my_work_page(request):
    """Every open clock, assessment and plan action that is this worker's."""
    return render(request, "cases/my_work.html", {"work": my_work(user=request.user)})


@access_rule(ROLES, roles=policy.roles_with("oversee_cases"))
@login_required
@require_GET
@fail_closed
def overdue_page(request):
    """Clocks overdue or due soon for the children the manager may see."""
    return render(request, "cases/overdue.html", {"clocks": overdue(user=request.user)})
