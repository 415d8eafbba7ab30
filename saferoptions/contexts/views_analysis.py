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
from saferoptions.core.queues import page_of, read_query
from saferoptions.people.selectors import shown_people

from . import analysis, forms, permissions, selectors, services_analysis
from .errors import ContextInputError, NotAllowed
from .hotspot_page import hotspot_page, table_query
from .models import SuggestedGroup, SuggestionStatus
from .svg import ring_layout

GET_POST = require_http_methods(["GET", "POST"])
# The locations page pages its two lists apart, each under its own name in the address, in
# the order they are listed (described places oldest first; hospital texts as matched).
LISTED = (("listed", "In the order listed"),)
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
    query = read_query(request.GET, sorts=LISTED)
    rows, paged = analysis.suggestions(user=request.user, query=query)
    method = method_in_words(rows[0].suggestion.method) if rows else []
    return render(request, "contexts/suggested_groups.html",
                  {"rows": rows, "method": method, "paged": paged, "query": query})


_METHOD_LABELS = {
    "note": "Note", "algorithm": "Method", "objective": "It makes groups with",
    "resolution": "Resolution (higher finds smaller groups)", "n_iterations": "Passes",
    "seed": "Seed (the same seed finds the same groups)", "min_group_size": "Smallest group",
    "key_connectors": "Who holds a group together", "network": "Ties counted",
}


def method_in_words(method: dict) -> list[tuple[str, str]]:
    """How the suggestions were found, as label and text: the settings' names are code."""
    words = {"objective": {"modularity": "more ties inside than outside"}}
    rows = []
    for key, value in method.items():
        text = _ties(value) if key == "network" else words.get(key, {}).get(value, value)
        rows.append((_METHOD_LABELS.get(key, key.replace("_", " ").capitalize()), str(text)))
    return rows


def _ties(network: dict) -> str:
    weights = network.get("weights", {})
    decay = network.get("recency_decay")
    return "; ".join([
        f"being in the same event, of at most {network.get('max_event_size')} people "
        f"(weight {weights.get('co_involvement')})",
        f"an associate or peer tie an agency recorded (weight {weights.get('association')})",
        "older ties count as much as new ones" if decay is None
        else f"a tie counts half after {decay} days",
    ])


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


# How a tie was recorded, in words: the network's sources are code names.
TIE_SOURCES = {"co_involvement": "together in one agency record",
               "association": "an associate or peer tie an agency recorded",
               "intelligence": "graded intelligence"}


def _peer_map_response(request, page):
    if page is None:
        return not_found(request)
    if page.map is None:
        return render(request, "contexts/peer_map.html", {"page": page, "nodes": [],
                                                          "links": [], "size": 520})
    xy = ring_layout(page.map.nodes)
    shown = shown_people(user=request.user, people=page.names.values())  # names if granted
    names = {label: shown[person.pk].display_name for label, person in page.names.items()}
    nodes = [{"name": names.get(n.label, n.label), "xy": xy[n.label], "masked": n.masked,
              "distance": n.distance, "person": page.names.get(n.label)}
             for n in page.map.nodes]
    links = [{"a": xy[k.one], "b": xy[k.other], "one": names.get(k.one, k.one),
              "other": names.get(k.other, k.other), "weight": k.weight,
              "sources": [TIE_SOURCES.get(name, name) for name in k.sources or ()]}
             for k in page.map.links]
    # The map draws everyone; its two tables give the same a page at a time, each under its
    # own name in the address.
    people = read_query(request.GET, sorts=LISTED, keep=("ties",), page_param="people")
    ties = read_query(request.GET, sorts=LISTED, keep=("people",), page_param="ties")
    return render(request, "contexts/peer_map.html", {
        "page": page, "nodes": nodes, "links": links, "size": 520,
        "people": page_of(people, nodes, what="people"), "ties": page_of(ties, links, what="ties")})


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
    query = table_query(request.GET, form)
    return render(request, "contexts/hotspots.html", {
        "form": form, "page": page, "width": 760, "query": query,
        "paged": page_of(query, page.rows, what="hexagons"),
        "tile_server": settings.CONTEXTS_TILE_SERVER_URL,
        "threshold": settings.CONTEXTS_SUPPRESSION_THRESHOLD})


def _point_at_rows(form, merge, rows) -> None:
    """The error summary links to the box of the row posted: a described place's box is
    "merge-<its number>", a hospital description's "place-<its row on the page>"."""
    if merge.is_bound and str(merge.data.get("proposed", "")).isdigit():
        merge.point_at(f"merge-{merge.data['proposed']}")
    if form.is_bound:
        found = [n for n, (r, _likely) in enumerate(rows.rows, 1)
                 if r.text == form.data.get("text")]
        if found:
            form.point_at(f"place-{found[0]}")


@access_rule(ROLES, roles=roles_with("resolve_locations"))
@login_required
@GET_POST
@fail_closed
def unresolved_locations(request):
    """Hospital descriptions of where an assault happened that match no known place yet, and
    places referrers described as not listed, for the Hub to confirm."""
    places = selectors.place_labels(request.user)
    action = request.POST.get("apply", "") if request.method == "POST" else ""
    form = forms.ResolveLocationForm(request.POST if action == "" and request.method == "POST"
                                     else None, places=places)
    merge = forms.MergeProposedPlaceForm(request.POST if action == "merge" else None,
                                         places=places)
    if action == "confident":
        confident, _ = analysis.location_matches(user=request.user)
        services_analysis.apply_matches(actor=request.user, matches=confident)
        return redirect("contexts:locations")
    if action == "merge" and merge.is_valid():
        try:
            services_analysis.merge_proposed_place(
                actor=request.user, proposed_id=merge.cleaned_data["proposed"],
                place=merge.cleaned_data["place"])
        except INPUT_ERRORS as error:
            _show(merge, error)
        else:
            return redirect("contexts:locations")
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            services_analysis.resolve_location(actor=request.user, text=d["text"],
                                               place=d["place"], remember=d["remember"])
        except INPUT_ERRORS as error:
            _show(form, error)
        else:
            return redirect("contexts:locations")
    confident, rows = analysis.location_matches(user=request.user)
    labels = {p.pk: label for label, p in places.items()}
    status = 400 if request.method == "POST" else 200
    texts = read_query(request.GET, sorts=LISTED, keep=("described",))
    described = read_query(request.GET, sorts=LISTED, keep=("page",), page_param="described")
    rows = page_of(texts, [(r, [(labels[c.place_id], c.score) for c in r.candidates
                                if c.place_id in labels]) for r in rows],
                   what="hospital locations")
    _point_at_rows(form, merge, rows)
    return render(request, "contexts/locations.html", {
        "form": form, "merge": merge, "confident": confident, "place_labels": places,
        "query": texts, "described": described, "rows": rows,
        "proposed": page_of(described, selectors.proposed_places(request.user),
                            what="described places"),
        "threshold": settings.CONTEXTS_SUPPRESSION_THRESHOLD}, status=status)


@access_rule(ROLES, roles=roles_with("resolve_locations"))
@login_required
@GET_POST
@fail_closed
def new_place(request):
    """Add a known place, optionally resolving a hospital description to it, or confirm a
    place a referrer described (`proposed`) at the point the Hub found."""
    source = request.POST if request.method == "POST" else request.GET
    resolves = source.get("text", "")[:200]
    proposed = selectors.proposed_place(request.user, source.get("proposed", ""))
    if source.get("proposed") and proposed is None:
        return not_found(request)
    initial = {"name": proposed.name, "place_type": proposed.place_type} if proposed else None
    form = forms.PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if proposed:
                services_analysis.confirm_proposed_place(actor=request.user,
                                                         proposed_id=proposed.pk,
                                                         **form.cleaned_data)
            else:
                services_analysis.create_place(actor=request.user, resolves=resolves,
                                               **form.cleaned_data)
        except INPUT_ERRORS as error:
            _show(form, error)
        else:
            return redirect("contexts:locations")
    status = 400 if request.method == "POST" else 200
    return render(request, "contexts/new_place.html",
                  {"form": form, "resolves": resolves, "proposed": proposed}, status=status)
