"""Feeds pages: status, file import and its ledger, quarantine, unmatched identities."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from saferoptions.access.routes import ROLES, SIGNED_IN, access_rule
from saferoptions.people.models import Identity, Person

from . import selectors, services
from .flat import HeaderError, columns, template_csv
from .forms import CorrectionForm, ImportForm, ResolveForm
from .roles import IMPORTERS, OVERSEERS, RESOLVERS
from .schemas import SCHEMAS


@access_rule(ROLES, roles=OVERSEERS)
def status(request):
    return render(request, "feeds/status.html", {
        # Only links the user can follow: the others would be a 404.
        "can_import": request.user.role in IMPORTERS,
        "can_resolve": request.user.role in RESOLVERS,
        "partners": selectors.partner_status(),
        "batches": [(b, selectors.ledger(b)) for b in selectors.batches_for(request.user)[:20]],
    })


@access_rule(SIGNED_IN)
@login_required
def template(request, feed_type):
    if feed_type not in SCHEMAS:
        raise Http404
    response = HttpResponse(template_csv(feed_type), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{feed_type}-template.csv"'
    return response


@access_rule(SIGNED_IN)
@login_required
def schemas(request):
    return render(request, "feeds/schemas.html", {
        "feeds": [(f, s.__doc__, columns(f)) for f, s in SCHEMAS.items()]})


def _importable(user) -> list[str]:
    if user.role == "system_administrator":
        return list(SCHEMAS)
    kind = user.agency.kind if user.agency_id else ""
    return settings.FEEDS_BY_AGENCY_KIND.get(kind, [])


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
    return render(request, "feeds/import.html", {"form": form, "feed_types": feed_types,
                                                 "no_agency": not request.user.agency_id})


@access_rule(ROLES, roles=IMPORTERS)
def batch(request, pk):
    found = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    rows = found.messages.filter(status="quarantined").defer("raw").order_by("row_number")
    return render(request, "feeds/batch.html", {
        "batch": found, "ledger": selectors.ledger(found), "quarantined": rows})


@access_rule(ROLES, roles=RESOLVERS)
def quarantine(request):
    return render(request, "feeds/quarantine.html",
                  {"messages_": selectors.quarantined(user=request.user)})


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


@access_rule(ROLES, roles=RESOLVERS)
def unmatched(request):
    return render(request, "feeds/unmatched.html",
                  {"identities": selectors.unmatched_identities(user=request.user)})


@access_rule(ROLES, roles=RESOLVERS)
def resolve(request, pk):
    identity = get_object_or_404(Identity, pk=pk, person__isnull=True)
    form = ResolveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = None
        if form.cleaned_data["person"]:
            people = selectors.restrict_people(request.user, Person.objects.all())
            person = people.filter(public_id=form.cleaned_data["person"]).first()
        if person or form.cleaned_data["new_person"]:
            services.resolve_identity(actor=request.user, identity=identity, person=person)
            messages.success(request, "Identity resolved.")
            return redirect("feeds:unmatched")
        form.add_error("person", "No person has that reference.")
    candidates = selectors.candidate_people(user=request.user, identity=identity)
    return render(request, "feeds/resolve.html",
                  {"identity": identity, "form": form, "candidates": candidates})
