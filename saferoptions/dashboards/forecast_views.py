"""Violence Reduction's "Next week's forecast" page (thin: read through `forecast`, render)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saferoptions.access.http import fail_closed
from saferoptions.access.routes import ROLES, access_rule

from . import demand, forecast, pages
from .views import VIEWERS


@access_rule(ROLES, roles=VIEWERS)
@login_required
@require_GET
@fail_closed
def next_week(request):
    page = forecast.next_week(user=request.user)
    return render(request, "dashboards/forecast.html", {
        "apps": pages.APPS.values(), "app": pages.APPS["violence-reduction"], "query": {},
        "page": page, "threshold": settings.SMALL_NUMBER_THRESHOLD,
        "top": forecast.TOP, "resolution": settings.H3_RESOLUTION})


@access_rule(ROLES, roles=VIEWERS)
@login_required
@require_GET
@fail_closed
def demand_outlook(request):
    page = demand.outlook(user=request.user)
    return render(request, "dashboards/demand.html", {
        "apps": pages.APPS.values(), "app": pages.APPS["safer-options"], "query": {},
        "page": page, "threshold": settings.SMALL_NUMBER_THRESHOLD,
        "origins": demand.COVERAGE_ORIGINS, "horizon": demand.COVERAGE_HORIZON})
