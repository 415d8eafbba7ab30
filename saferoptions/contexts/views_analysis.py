"""Analyst pages: suggested groups, peer maps, hot spots and hospital locations (thin views)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_q.tasks import async_task

from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.policy import roles_with
from saferoptions.access.routes import PERSONAL_DATA, ROLES, access_rule
from saferoptions.analytics.errors import AnalyticsInputError

from . import analysis, forms, permissions, services_analysis
from .errors import ContextInputError, NotAllowed
from .hotspot_page import hotspot_page
from .models import SuggestedGroup, SuggestionStatus
from .svg import ring_layout

GET_POST = require_http_methods(["GET", "POST"])
INPUT_ERRORS = (ContextInputError, AnalyticsInputError)


def _show(form, error) -> None:
    visible = error.field in form.fields and not form.fields[error.field].widget.is_hidden
    form.add_error(error.field if visible else None, error.reason)


@access_rule(PERSONAL_DATA)
@login_required
@GET_POST
@fail_closed
def suggested_groups(request):
    """Groups found in the records, for an analyst to confirm; POST runs the search again."""
    if not permissions.may_analyse(request.user):
        return not_found(request)
    if request.method == "POST":
        if settings.CONTEXTS_GROUPS_IN_BACKGROUND:
            # A large city takes longer than a request should: the worker runs it as this user.
            async_task("saferoptions.contexts.tasks.suggest_groups_for", request.user.pk)
        else:
            services_analysis.suggest_groups(actor=request.user)
        return redirect("contexts:suggested-groups")
    rows = analysis.suggestions(user=request.user)
    method = rows[0].suggestion.method if rows else {}
    return render(request, "contexts/suggested_groups.html", {"rows": rows, "method": method})


@access_rule(PERSONAL_DATA)
@login_required
@GET_POST
@fail_closed
def confirm_group(request, pk):
    """Confirm, name and open a suggested group as a context case."""
    suggestion = SuggestedGroup.objects.filter(pk=pk, status=SuggestionStatus.SUGGESTED).first()
    if not permissions.may_analyse(request.user) or suggestion is None:
        return not_found(request)
    form = forms.ConfirmGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            group = services_analysis.confirm_group(
                actor=request.user, suggestion_id=pk, name=d["name"],
                description=d["description"], reason=d["reason"])
        except INPUT_ERRORS as error:
            _show(form, error)
        except NotAllowed:
            return not_found(request)
        else:
            return redirect("contexts:case", group.cases.get().pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "contexts/confirm_group.html",
                  {"form": form, "suggestion": suggestion}, status=status)


def _peer_map_response(request, page):
    if page is None:
        return not_found(request)
    if page.map is None:
        return render(request, "contexts/peer_map.html", {"page": page, "nodes": [],
                                                          "links": [], "size": 520})
    xy = ring_layout(page.map.nodes)
    names = {label: person.display_name for label, person in page.names.items()}
    nodes = [{"name": names.get(n.label, n.label), "xy": xy[n.label], "masked": n.masked,
              "distance": n.distance, "person": page.names.get(n.label)}
             for n in page.map.nodes]
    links = [{"a": xy[k.one], "b": xy[k.other], "one": names.get(k.one, k.one),
              "other": names.get(k.other, k.other), "weight": k.weight, "sources": k.sources}
             for k in page.map.links]
    return render(request, "contexts/peer_map.html",
                  {"page": page, "nodes": nodes, "links": links, "size": 520})


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def group_peer_map(request, pk):
    """The peer map of a group: people the viewer may not see are masked stubs."""
    return _peer_map_response(request, analysis.group_peer_map(user=request.user, pk=pk))


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def child_peer_map(request, public_id):
    """The peer map around one child the viewer may see."""
    page = analysis.child_peer_map(user=request.user, public_id=public_id)
    return _peer_map_response(request, page)


@access_rule(ROLES, roles=roles_with("view_hotspots"))
@login_required
@require_GET
@fail_closed
def hotspots(request):
    """Hot spots of assaults and incidents: aggregates only, small counts suppressed."""
    form = forms.HotspotFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "contexts/hotspots.html",
                      {"form": form, "threshold": settings.CONTEXTS_SUPPRESSION_THRESHOLD},
                      status=400)
    filters = form.cleaned_data if form.is_bound else {}
    page = hotspot_page(user=request.user, filters=filters)
    return render(request, "contexts/hotspots.html", {
        "form": form, "page": page, "width": 760,
        "tile_server": settings.CONTEXTS_TILE_SERVER_URL,
        "threshold": settings.CONTEXTS_SUPPRESSION_THRESHOLD})


@access_rule(ROLES, roles=roles_with("resolve_locations"))
@login_required
@GET_POST
@fail_closed
def unresolved_locations(request):
    """Hospital descriptions of where an assault happened that match no known place yet."""
    form = forms.ResolveLocationForm(request.POST or None)
    if request.method == "POST" and request.POST.get("apply") == "confident":
        confident, _ = analysis.location_matches(user=request.user)
        services_analysis.apply_matches(actor=request.user, matches=confident)
        return redirect("contexts:locations")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services_analysis.resolve_location(actor=request.user, text=d["text"],
                                               place=d["place"], remember=d["remember"])
        except INPUT_ERRORS as error:
            _show(form, error)
        else:
            return redirect("contexts:locations")
    confident, rows = analysis.location_matches(user=request.user)
    status = 400 if request.method == "POST" else 200
    return render(request, "contexts/locations.html", {
        "form": form, "confident": confident, "rows": rows,
        "places": forms.ResolveLocationForm.base_fields["place"].queryset,
        "threshold": settings.CONTEXTS_SUPPRESSION_THRESHOLD}, status=status)


@access_rule(ROLES, roles=roles_with("resolve_locations"))
@login_required
@GET_POST
@fail_closed
def new_place(request):
    """Add a known place, optionally resolving a hospital description to it."""
    resolves = request.GET.get("text", "")[:200]
    form = forms.PlaceForm(request.POST or None)
    if request.method == "POST":
        resolves = request.POST.get("text", "")[:200]
    if request.method == "POST" and form.is_valid():
        try:
            services_analysis.create_place(actor=request.user, resolves=resolves,
                                           **form.cleaned_data)
        except INPUT_ERRORS as error:
            _show(form, error)
        else:
            return redirect("contexts:locations")
    status = 400 if request.method == "POST" else 200
    return render(request, "contexts/new_place.html", {"form": form, "resolves": resolves},
                  status=status)
