"""Intelligence pages for signed-in users: thin views that validate, call, and render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from saferoptions.access import policy
from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.routes import PERSONAL_DATA, ROLES, SIGNED_IN, access_rule
from saferoptions.contexts.case_selectors import places_to_refer
from saferoptions.contexts.models import Group, Place
from saferoptions.core.floods import limit_reports
from saferoptions.core.queues import read_query
from saferoptions.events.models import Event
from saferoptions.people.models import Person

from . import candidates, selectors, services
from .forms import (
    EntityFormSet,
    GradingForm,
    LinkForm,
    PlaceReviewForm,
    SanitisedForm,
    StatusForm,
    SubmissionForm,
    UnlinkForm,
)
from .models import Channel

GRADERS = policy.roles_with("grade_intelligence")
DPO = policy.roles_with("review_handling_changes")


def page(kind, *methods, roles=()):
    """The decorator stack every page shares: rule, sign-in, methods, fail closed."""
    def decorate(view):
        inner = fail_closed(require_http_methods(list(methods) or ["GET"])(view))
        return access_rule(kind, roles=roles)(login_required(wraps(view)(inner)))
    return decorate


def _refuse(form, error: services.Refused) -> None:
    """The refusal on its field, or at the top (a hidden field would show nothing)."""
    visible = error.field in form.fields and not form.fields[error.field].widget.is_hidden
    form.add_error(error.field if visible else None, error.message)


# --- submitting, and hearing back -------------------------------------------------------------

@page(SIGNED_IN, "GET", "POST")
@limit_reports
def submit(request):
    """Any signed-in partner: intelligence about people, objects, places and events."""
    form = SubmissionForm(request.POST or None, places=places_to_refer(request.user))
    entities = EntityFormSet(request.POST or None, prefix="entity")
    if request.method == "POST" and form.is_valid() and entities.is_valid():
        d = form.cleaned_data
        channel = Channel.COMMUNITY_MEETING if d["from_community_meeting"] else Channel.PARTNER
        try:
            report = services.submit(
                actor=request.user, account=d["account"], place=form.listed_place(),
                described_place=form.described_place(), when_seen=d["when_seen"],
                entities=[e for e in entities.cleaned_data if e], channel=channel)
        except services.Refused as error:
            _refuse(form, error)
        else:
            messages.success(request, f"Thank you. Your reference is {report.reference}.")
            return redirect("intelligence:mine")
    status = 400 if request.method == "POST" else 200
    return render(request, "intelligence/submit.html", {
        "form": form, "entities": entities}, status=status)


@page(SIGNED_IN)
def mine(request):
    """What the user submitted: status and the Hub's message, nothing else."""
    found = selectors.my_submissions(request.user, page=request.GET.get("page"))
    return render(request, "intelligence/mine.html", {"page": found})


# --- the Hub: queue, original, grading --------------------------------------------------------

@page(ROLES, roles=GRADERS)
def queue(request):
    show = "all" if request.GET.get("show") == "all" else "open"
    found = selectors.queue(request.user, page=request.GET.get("page"), show=show)
    return render(request, "intelligence/queue.html", {
        "page": found, "show": show, "keep": f"show={show}&"})


def _report_page(request, pk, *, forms=None, status=200):
    with transaction.atomic():
        report = selectors.original(request.user, pk)
        if report is None:
            return not_found(request, str(pk))
        context = _report_context(request, report, forms or {})
    return render(request, "intelligence/report.html", context, status=status)


def _report_context(request, report, forms) -> dict:
    entities = list(report.entities.all())
    sanitised = getattr(report, "sanitised", None)
    return {
        "report": report, "entities": entities, "additions": list(report.additions.all()),
        "history": selectors.history(report), "sanitised": sanitised,
        "links": selectors.links_shown(request.user, report),
        "offers": candidates.offers_for(request.user, report),
        "describes_people": any(e.kind == "person" and e.name for e in entities),
        "grading_form": forms.get("grade") or GradingForm(initial=_current(report)),
        "sanitised_form": forms.get("sanitise") or SanitisedForm(
            entities=entities, initial={"summary": sanitised.summary} if sanitised else None),
        "link_form": forms.get("link") or _link_form(request),
        "event_offers": selectors.events_to_offer(request.user, report)
        if report.handling_code else [],
        "place_review_form": forms.get("place_review"),
        "unlink_form": forms.get("unlink"),
        "status_form": forms.get("status") or StatusForm(initial={
            "status": report.status, "message": report.message_to_referrer}),
    }


def _current(report) -> dict | None:
    if not report.handling_code:
        return None
    return {"source_evaluation": report.source_evaluation,
            "intelligence_assessment": report.intelligence_assessment,
            "handling_code": report.handling_code,
            "shared_with": list(report.shared_with.all())}


def _groups(request):
    return policy.restrict(request.user, "list", Group.objects.all()).order_by("name")


def _link_form(request, data=None):
    return LinkForm(data, places=places_to_refer(request.user), groups=_groups(request),
                    events=policy.restrict(request.user, "view", Event.objects.all()))


def _event_by_reference(request, reference):
    """The one event the analyst may see with that agency reference, or a refusal naming it."""
    found = selectors.events_by_reference(request.user, reference)
    if not found:
        raise services.Refused("event_reference", "No event with that reference that you may "
                               "see.")
    if len(found) > 1:
        raise services.Refused("event_reference", "More than one event you may see has that "
                               "reference: link it from the events offered above.")
    return found[0]


@page(ROLES, roles=GRADERS)
def report(request, pk):
    return _report_page(request, pk)


def _change(request, pk, key, make_form, act):
    """Check the form `make_form(report)` gives, run `act(report, form)` in one transaction; on
    a refusal, the page again with the form's errors and nothing changed."""
    with transaction.atomic():
        found = selectors.original(request.user, pk)
        if found is None:
            return not_found(request, str(pk))
        form = make_form(found)
        if form.is_valid():
            try:
                act(found, form)
            except services.Refused as error:
                transaction.set_rollback(True)
                _refuse(form, error)
    if form.errors:
        return _report_page(request, pk, forms={key: form}, status=400)
    return redirect("intelligence:report", pk=pk)


@page(ROLES, "POST", roles=GRADERS)
def grade(request, pk):
    def act(found, form):
        services.grade(actor=request.user, report=found, **form.cleaned_data)
        messages.success(request, "Grading saved.")
    return _change(request, pk, "grade", lambda found: GradingForm(request.POST), act)


@page(ROLES, "POST", roles=GRADERS)
def sanitise(request, pk):
    def make(found):
        return SanitisedForm(request.POST, entities=list(found.entities.all()))

    def act(found, form):
        d = form.cleaned_data
        services.write_sanitised(actor=request.user, report=found, summary=d["summary"],
                                 keep_place=d["keep_place"], keep_when=d["keep_when"],
                                 kept=form.kept())
        messages.success(request, "The version to share is saved.")
    return _change(request, pk, "sanitise", make, act)


@page(ROLES, "POST", roles=GRADERS)
def link(request, pk):
    def make(found):
        return _link_form(request, request.POST)

    def act(found, form):
        d, person, event = form.cleaned_data, None, form.cleaned_data.get("event")
        if d.get("person"):
            person = Person.objects.filter(public_id=d["person"]).first()
            if person is None:
                raise services.Refused("person", "No child or young person with that "
                                       "reference that you may see.")
        if d.get("event_reference"):
            event = _event_by_reference(request, d["event_reference"])
        services.link(actor=request.user, report=found, person=person, place=d.get("place"),
                      group=d.get("group"), event=event)
        messages.success(request, "Linked.")
    return _change(request, pk, "link", make, act)


@page(ROLES, "POST", roles=GRADERS)
def unlink(request, pk):
    """Undo a link made in error, with the reason; it stays on file on this page."""
    def act(found, form):
        d = form.cleaned_data
        services.unlink(actor=request.user, report=found, link_id=d["link"], reason=d["reason"])
        messages.success(request, "Unlinked. The link and your reason stay on file here.")
    return _change(request, pk, "unlink", lambda found: UnlinkForm(request.POST), act)


@page(ROLES, "POST", roles=GRADERS)
def place_review(request, pk):
    """Open a place review (contexts' place case) for a linked place; then to the review."""
    opened = []

    def make(found):
        return PlaceReviewForm(request.POST, places=Place.objects.filter(
            pk__in=found.links.live().filter(place__isnull=False).values("place_id")))

    def act(found, form):
        opened.append(services.open_place_review(actor=request.user, report=found,
                                                 place=form.cleaned_data["place"]))
        messages.success(request, "Place review opened.")
    response = _change(request, pk, "place_review", make, act)
    return redirect("contexts:case", opened[0].pk) if opened else response


@page(ROLES, "POST", roles=GRADERS)
def status(request, pk):
    def act(found, form):
        d = form.cleaned_data
        services.set_status(actor=request.user, report=found, status=d["status"],
                            message=d["message"])
        messages.success(request, "Status saved: the person who raised it sees it.")
    return _change(request, pk, "status", lambda found: StatusForm(request.POST), act)


# --- shared (sanitised) intelligence ----------------------------------------------------------

@page(PERSONAL_DATA)
def shared(request):
    found = selectors.shared_items(request.user, page=request.GET.get("page"))
    return render(request, "intelligence/shared.html", {"page": found})


@page(PERSONAL_DATA)
def shared_item(request, pk):
    found = selectors.shared_item(request.user, pk)
    if found is None:
        return not_found(request, str(pk))
    return render(request, "intelligence/shared_item.html", found)


@page(PERSONAL_DATA)
def about_person(request, public_id):
    query = read_query(request.GET, sorts=(("recent", "Newest first"),))
    found = selectors.about_person(request.user, public_id, query=query)
    if found is None:
        return not_found(request, str(public_id))
    person, paged = found
    return render(request, "intelligence/about.html", {
        "title": f"Intelligence about {person.display_name}", "items": paged.rows,
        "paged": paged, "query": query})


@page(PERSONAL_DATA)
def about_place(request, pk):
    query = read_query(request.GET, sorts=(("recent", "Newest first"),))
    found = selectors.about_place(request.user, pk, query=query)
    if found is None:
        return not_found(request, str(pk))
    place, paged, children = found
    return render(request, "intelligence/about.html", {
        "title": f"Intelligence about {place.name}", "items": paged.rows, "paged": paged,
        "query": query, "children": children})


# --- the data protection officer --------------------------------------------------------------

@page(ROLES, roles=DPO)
def handling_changes(request):
    found = selectors.handling_changes(request.user, page=request.GET.get("page"))
    if found is None:
        return not_found(request)
    return render(request, "intelligence/handling_changes.html", {"page": found})
