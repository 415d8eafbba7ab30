"""The strategic dashboards (thin views): parse the filters, read through `pages`, render."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.policy import roles_with
from saferoptions.access.routes import ROLES, access_rule

from . import filters as filtering
from . import pages

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIEWERS = roles_with("view_dashboards")
DRILLERS = roles_with("drill_down_dashboards")


def _context(request, app: str, filters, **more) -> dict:
    return {"apps": pages.APPS.values(), "app": pages.APPS[app], "filters": filters,
            "query": filters.query(), "periods": filtering.PERIOD_NAMES,
            "ages": filtering.AGE_BANDS, "may_drill": request.user.role in DRILLERS,
            "threshold": settings.SMALL_NUMBER_THRESHOLD, **more}


@access_rule(ROLES, roles=VIEWERS)
@login_required
@require_GET
def index(request):
    """The dashboards start with the Safer Options app; the filters carry over."""
    target = reverse("dashboards:app", args=["safer-options"])
    return redirect(f"{target}?{request.GET.urlencode()}" if request.GET else target)


@access_rule(ROLES, roles=VIEWERS)
@login_required
@require_GET
@fail_closed
def app_page(request, app):
    if app not in pages.APPS:
        return not_found(request)
    filters = filtering.parse(request.GET)
    shown = pages.dashboard(user=request.user, app=app, filters=filters)
    return render(request, "dashboards/app.html",
                  _context(request, app, filters, figures=shown,
                           sections=pages.sections(app, shown),
                           rounded=any(s.rounded for s in shown),
                           locality_choices=filtering.locality_choices(),
                           ward_choices=filtering.ward_choices(filters)))


@access_rule(ROLES, roles=VIEWERS)
@login_required
@require_GET
@fail_closed
def figure_csv(request, app, key):
    if app not in pages.APPS:
        return not_found(request)
    filters = filtering.parse(request.GET)
    text = pages.figure_csv(user=request.user, app=app, key=key, filters=filters)
    if text is None:
        return not_found(request)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{app}-{key}.csv"'
    return response


@access_rule(ROLES, roles=VIEWERS)
@login_required
@require_GET
@fail_closed
def figure_xlsx(request, app, key):
    """The same table as a spreadsheet (the needs assessment goes to partners this way)."""
    if app not in pages.APPS:
        return not_found(request)
    filters = filtering.parse(request.GET)
    content = pages.figure_csv(user=request.user, app=app, key=key, filters=filters,
                               kind="xlsx")
    if content is None:
        return not_found(request)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{app}-{key}.xlsx"'
    return response


@access_rule(ROLES, roles=DRILLERS)
@login_required
@require_GET
@fail_closed
def drilldown(request, app, key):
    """The children behind one figure whom this user may open; others only counted."""
    if app not in pages.APPS:
        return not_found(request)
    filters = filtering.parse(request.GET)
    found = pages.drilldown(user=request.user, app=app, key=key,
                            row=request.GET.get("row", ""), column=request.GET.get("col", ""),
                            filters=filters)
    if found is None:
        return not_found(request)
    page = Paginator(found.people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboards/drilldown.html",
                  _context(request, app, filters, found=found, page=page,
                           row_label=_label(found.figure.rows, found.figure.row_keys, found.row),
                           column_label=_label(found.figure.columns, found.figure.column_keys,
                                               found.column)))


def _label(labels, keys, key) -> str:
    return labels[[str(k) for k in keys].index(key)]

