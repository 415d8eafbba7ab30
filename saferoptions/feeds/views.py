"""Feeds pages: status, file import and its ledger, quarantine, partner systems' credentials.

Records a feed leaves without a person wait in the one unmatched queue, `linkage:unmatched`;
the old feeds addresses for it redirect there.
"""

from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_variables

from saferoptions.access.routes import ROLES, access_rule
from saferoptions.core.queues import page_of, read_query
from saferoptions.linkage.roles import REVIEWERS
from saferoptions.linkage.selectors import waiting_entry

from . import selectors, services
from .flat import HeaderError, columns, template_csv
from .forms import (
    CorrectionForm,
    ImportForm,
    PartnerFeedTypesForm,
    PartnerReasonForm,
    PartnerSystemForm,
)
from .models import FeedType, PartnerSystem, feeds_for_agency
from .roles import IMPORTERS, OVERSEERS, PARTNER_ADMINS, RESOLVERS, WORK_WITH_FEEDS
from .schemas import SCHEMAS


@access_rule(ROLES, roles=OVERSEERS)
def status(request):
    return render(request, "feeds/status.html", {
        # Only links the user can follow: the others would be a 404.
        "can_import": request.user.role in IMPORTERS,
        "can_correct": request.user.role in RESOLVERS,
        "can_decide": request.user.role in REVIEWERS,
        "partners": selectors.partner_status(),
        "batches": [(b, selectors.ledger(b)) for b in selectors.batches_for(request.user)[:20]],
    })


@access_rule(ROLES, roles=WORK_WITH_FEEDS)
def template(request, feed_type):
    if feed_type not in SCHEMAS:
        raise Http404
    response = HttpResponse(template_csv(feed_type), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{feed_type}-template.csv"'
    return response


@access_rule(ROLES, roles=WORK_WITH_FEEDS)
def schemas(request):
    return render(request, "feeds/schemas.html", {
        # A schema without its own docstring has no description: show nothing, never "None".
        "feeds": [(f, _feed_label(f), s.__doc__ or "", columns(f)) for f, s in SCHEMAS.items()]})


def _importable(user) -> list[str]:
    """The feeds the user's agency may send: the same table a partner credential is held to."""
    return feeds_for_agency(user.agency) if user.agency_id else []


@access_rule(ROLES, roles=IMPORTERS)
def import_file(request):
    feed_types = _importable(request.user)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None,
                      feed_types=feed_types)
    if request.method == "POST" and form.is_valid() and request.user.agency_id:
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_file(
                actor=request.user, agency=request.user.agency,
                feed_type=form.cleaned_data["feed_type"], filename=upload.name,
                content=upload.read())
        except HeaderError as exc:
            form.add_error("file", f"The file {exc}.")
        else:
            return redirect("feeds:batch", pk=batch.pk)
    # A refused file comes back as every form with an error does: 400, the reason on the field.
    return render(request, "feeds/import.html", {"form": form,
                                                 "feed_types": _labelled(feed_types),
                                                 "no_agency": not request.user.agency_id},
                  status=400 if posted else 200)


@access_rule(ROLES, roles=IMPORTERS)
def batch(request, pk):
    found = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    # A file of thousands of rows can quarantine thousands: one row per problem, 50 a page.
    messages_ = found.messages.filter(status="quarantined").defer("raw").order_by("row_number")
    rows = [{"row": message.row_number, "field": error.get("field"), "reason": error.get("reason")}
            for message in messages_ for error in message.errors]
    query = read_query(request.GET, sorts=(("row", "By row"),))
    return render(request, "feeds/batch.html", {
        "batch": found, "ledger": selectors.ledger(found), "query": query,
        "paged": page_of(query, rows, what="quarantined rows")})


@access_rule(ROLES, roles=RESOLVERS)
def quarantine(request):
    shown, others = selectors.quarantined(user=request.user, params=request.GET)
    return render(request, "feeds/quarantine.html", {"paged": shown, "query": shown.query,
                                                     "messages_": shown.rows, "others": others})


@access_rule(ROLES, roles=RESOLVERS)
def correct(request, pk):
    message = selectors.quarantined_message(user=request.user, pk=pk)
    if message is None:
        raise Http404
    form = CorrectionForm(request.POST if request.method == "POST" else None,
                          initial={"raw": message.raw_text})
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["raw"].replace("\r\n", "\n").encode("utf-8")
        replayed = services.correct_and_replay(actor=request.user, message=message, raw=raw)
        if replayed.status == "quarantined":
            messages.warning(request, "The corrected message is still not valid.")
            return redirect("feeds:correct", pk=pk)
        messages.success(request, "The message was replayed.")
        return redirect("feeds:quarantine")
    return render(request, "feeds/correct.html", {"message": message, "form": form})


@access_rule(ROLES, roles=REVIEWERS)
def unmatched_moved(request):
    """The unmatched queue moved to linkage: old links and bookmarks still arrive there."""
    return HttpResponsePermanentRedirect(reverse("linkage:unmatched"))


@access_rule(ROLES, roles=REVIEWERS)
def resolve_moved(request, pk):
    """An old link to one identity opens its entry in the queue, or the queue once decided."""
    entry = waiting_entry(identity_id=pk)
    target = reverse("linkage:unmatched-decide", args=[entry]) if entry else reverse(
        "linkage:unmatched")
    return HttpResponsePermanentRedirect(target)


# --- partner systems: their API credentials (configuration only, no personal data) --------


@access_rule(ROLES, roles=PARTNER_ADMINS)
def partners(request):
    rows = [{**row, "feeds": _feed_labels(row["partner"].feed_types)}
            for row in selectors.partner_status()]
    return render(request, "feeds/partner_list.html", {"rows": rows})


@access_rule(ROLES, roles=PARTNER_ADMINS)
@sensitive_variables("token")
def partner_create(request):
    form = PartnerSystemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            found, token = services.create_partner_system(actor=request.user, **form.cleaned_data)
        except services.PartnerSystemRefused as refused:
            form.add_error(refused.field, refused.reason)
        else:
            return _token_page(request, found, token, new=True)
    return render(request, "feeds/partner_new.html", {"form": form})


@access_rule(ROLES, roles=PARTNER_ADMINS)
def partner(request, pk):
    found = _partner(pk)
    return render(request, "feeds/partner_detail.html",
                  {"partner": found, "feeds": _feed_labels(found.feed_types)})


@access_rule(ROLES, roles=PARTNER_ADMINS)
def partner_feed_types(request, pk):
    found = _partner(pk)
    form = PartnerFeedTypesForm(request.POST if request.method == "POST" else None,
                                initial={"feed_types": found.feed_types})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_partner_feed_types(actor=request.user, partner=found,
                                               **form.cleaned_data)
        except services.PartnerSystemRefused as refused:
            form.add_error(refused.field, refused.reason)
        else:
            messages.success(request, f"The feed types {found.name} may send were changed.")
            return redirect("feeds:partner", pk=pk)
    return render(request, "feeds/partner_feed_types.html", {"partner": found, "form": form})


@access_rule(ROLES, roles=PARTNER_ADMINS)
@sensitive_variables("token")
def partner_rotate(request, pk):
    found = _partner(pk)
    form = PartnerReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            found, token = services.rotate_partner_token(
                actor=request.user, partner=found, reason=form.cleaned_data["reason"],
                replacing=form.cleaned_data["replacing"] or None)
        except services.PartnerSystemRefused as refused:
            form.add_error(refused.field, refused.reason)
            found = _partner(pk)  # the page offers to replace the token as it is now
        else:
            return _token_page(request, found, token, new=False)
    return render(request, "feeds/partner_rotate.html", {"partner": found, "form": form})


@access_rule(ROLES, roles=PARTNER_ADMINS)
def partner_revoke(request, pk):
    return _confirm_active(request, pk, active=False)


@access_rule(ROLES, roles=PARTNER_ADMINS)
def partner_reactivate(request, pk):
    return _confirm_active(request, pk, active=True)


def _confirm_active(request, pk, *, active: bool):
    found = _partner(pk)
    if found.is_active == active:  # already so (e.g. the form was sent twice): nothing to ask
        return redirect("feeds:partner", pk=pk)
    form = PartnerReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        change = (services.reactivate_partner_system if active
                  else services.revoke_partner_system)
        try:
            change(actor=request.user, partner=found, reason=form.cleaned_data["reason"])
        except services.PartnerSystemRefused as refused:
            form.add_error(refused.field, refused.reason)
        else:
            messages.success(request, f"{found.name} was {'reactivated' if active else 'revoked'}.")
            return redirect("feeds:partner", pk=pk)
    return render(request, "feeds/partner_confirm.html",
                  {"partner": found, "form": form, "reactivate": active})


def _partner(pk) -> PartnerSystem:
    systems = PartnerSystem.objects.select_related("agency").annotate(
        last_message=Max("messages__received_at"))
    return get_object_or_404(systems, pk=pk)


def _feed_labels(feed_types) -> list[str]:
    return [_feed_label(f) for f in feed_types]


def _feed_label(feed_type: str) -> str:
    return FeedType(feed_type).label if feed_type in FeedType.values else feed_type


def _labelled(feed_types) -> list[tuple[str, str]]:
    """(code, name) of each feed: the page names a feed as the form's list does."""
    return [(f, _feed_label(f)) for f in feed_types]


@sensitive_variables("token")
def _token_page(request, found: PartnerSystem, token: str, *, new: bool):
    """The token, in this one response: it is never stored, so no later page can show it."""
    example = next((f for f in found.feed_types if f in SCHEMAS), None)
    response = render(request, "feeds/partner_token.html", {
        "partner": found, "token": token, "new": new,
        "endpoint": example and request.build_absolute_uri(reverse(f"feed-{example}")),
        "api_docs": reverse("api-docs")})
    add_never_cache_headers(response)  # nor kept by the browser or a proxy for the Back button
    return response
