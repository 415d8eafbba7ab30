"""The single assessment: start, edit with autosave and versions, submit, approve or return."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html

from saferoptions.access import policy
from saferoptions.core import clock
from saferoptions.core.numbers import whole_number

from .. import services
from ..forms import AUTOSAVE_DELAY, ApprovalForm, AssessmentForm, StartAssessmentForm, SubmitForm
from ..models import SECTION_NAMES, SECTIONS, Assessment, AssessmentDraft, AssessmentStatus
from ..selectors.child import open_case_record, open_child
from ..services.corrections import history
from .common import not_found, personal, refuse, transaction
from .corrections import ASSESSMENT_LABELS


@personal("GET", "POST")
def start(request, public_id):
    """Start the child's single assessment; a refusal comes back to this form with the reason,
    and reloading it (a GET) shows the form again rather than a dead end."""
    with transaction.atomic():
        child = open_child(request.user, public_id, what="assessment", change=True)
    if child is None:
        return not_found(request, str(public_id))
    form = StartAssessmentForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.start_assessment(
                actor=request.user, person=child.person,
                referral_on=form.cleaned_data["referral_on"])
        except services.Refused as refused:
            refuse(form, refused)
            error = refused
        else:
            return redirect("cases:assessment", assessment.pk)
    status = 200 if request.method == "GET" else (409 if error and error.link else 400)
    return render(request, "cases/assessment_start.html",
                  {"form": form, "error": error, "person": child.person}, status=status)


def _initial(assessment, drafts) -> dict:
    """Saved text, overlaid with the worker's drafts, at the version the drafts started from."""
    values = {name: getattr(assessment, name) for name in SECTION_NAMES}
    values.update({d.section: d.text for d in drafts})
    values["extra_familial_weight"] = assessment.extra_familial_weight
    # Saving a draft typed over an older version must meet the conflict check, not skip it.
    values["version"] = min([assessment.version, *(d.base_version for d in drafts)])
    return values


def _page(request, assessment, child, *, status=200, conflict=None, **forms):
    drafts = list(AssessmentDraft.objects.filter(assessment=assessment, user=request.user))
    context = {
        "a": assessment, "person": child.person, "drafts": drafts, "sections": SECTIONS,
        "conflict": conflict, "delay": AUTOSAVE_DELAY,
        "form": AssessmentForm(initial=_initial(assessment, drafts)),
        "editable": assessment.status in services.assessments.EDITABLE and child.may_change,
        "submit_form": SubmitForm(), "approval_form": ApprovalForm(),
        "may_approve": _may_approve(request.user, assessment),
        "late": clock.today() > assessment.due_on,
        # After submission the words change only by an amendment with a reason.
        "amendable": assessment.status not in services.assessments.EDITABLE
        and child.may_change,
        "history": history("assessment", assessment.pk, ASSESSMENT_LABELS),
    }
    context.update(forms)
    context["conflict_rows"] = _conflict_rows(conflict)
    context["rows"] = [(context["form"][name], reverse("cases:autosave", args=[assessment.pk,
                                                                             name]))
                       for name in SECTION_NAMES]
    return render(request, "cases/assessment.html", context, status=status)


def _conflict_rows(conflict) -> list:
    """Each field someone else changed, with the value now saved."""
    if conflict is None:
        return []
    changed = {f for c in conflict.changes for f in c["fields"]}
    labels = {name: heading for name, heading, _ in SECTIONS}
    labels["extra_familial_weight"] = "How much of the harm is outside the family"
    return [(labels[f], getattr(conflict.current, f)) for f in labels if f in changed]


def _may_approve(user, assessment) -> bool:
    return (assessment.status == AssessmentStatus.SUBMITTED
            and policy.has_duty(user, "approve_assessments") and user.pk != assessment.worker_id)


@personal("GET", "POST")
def assessment(request, pk):
    """Read or save the assessment; a save from an older version is refused with what changed."""
    change = request.method == "POST"
    with transaction.atomic():
        found = open_case_record(request.user, Assessment.objects.all(), pk,
                                 what="assessment", change=change)
    if found is None:
        return not_found(request)
    row, child = found
    if not change:
        return _page(request, row, child)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return _page(request, row, child, form=form, status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.save_assessment(actor=request.user, assessment=row, version=version,
                                 values=data)
    except services.AssessmentConflict as conflict:
        # Keep their text; saving again after reading the changes is a deliberate choice.
        retry = request.POST.copy()
        retry["version"] = conflict.current.version
        form = AssessmentForm(retry)
        return _page(request, conflict.current, child, form=form, conflict=conflict,
                     status=409)
    except services.Refused as error:
        refuse(form, error)
        return _page(request, row, child, form=form, status=400)
    messages.success(request, "Assessment saved.")
    return redirect("cases:assessment", row.pk)


@personal("POST")
def autosave(request, pk, section):
    """Keep one section as it is typed (htmx); the answer is a short status for screen readers."""
    with transaction.atomic():
        found = open_case_record(request.user, Assessment.objects.all(), pk,
                                 what="assessment", change=True)
    if found is None:
        return not_found(request)
    text, version = request.POST.get(section, ""), whole_number(request.POST.get("version"))
    if section not in SECTION_NAMES or len(text) > 20000 or version is None:
        return HttpResponse("Not saved: unknown section, text too long or no version.",
                            status=400)
    if "\x00" in text:  # a form's field refuses it too; the database cannot keep it
        return HttpResponse("Not saved: the text holds a NUL character (often pasted from "
                            "another program). Delete it and type on.", status=400)
    try:
        draft = services.autosave_section(actor=request.user, assessment=found[0],
                                          section=section, text=text,
                                          base_version=version)
    except services.Refused as error:
        return HttpResponse(error.message, status=409)
    return HttpResponse(format_html("Draft saved at {}", f"{draft.saved_at:%H:%M:%S}"))


@personal("POST")
def submit(request, pk):
    """Send for approval; a late assessment needs a reason."""
    with transaction.atomic():
        found = open_case_record(request.user, Assessment.objects.all(), pk,
                                 what="assessment", change=True)
    if found is None:
        return not_found(request)
    row, child = found
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.submit_assessment(actor=request.user, assessment=row,
                                       late_reason=form.cleaned_data["late_reason"])
        except services.Refused as error:
            if error.field in SECTION_NAMES:
                return _refused_section(request, row, child, error)
            return _refused(request, row, child, "submit_form", form, error)
        messages.success(request, "Sent to a manager for approval.")
        return redirect("cases:assessment", row.pk)
    return _page(request, row, child, status=400, submit_form=form)


def _refused_section(request, row, child, error):
    """A refusal about the assessment's own words (no analysis yet) is shown on that section,
    where the worker writes it, with the text as saved and drafted so far."""
    drafts = AssessmentDraft.objects.filter(assessment=row, user=request.user)
    form = AssessmentForm(_initial(row, list(drafts)))
    form.is_valid()
    form.add_error(error.field, error.message)
    return _page(request, row, child, status=400, form=form)


def _refused(request, row, child, name, form, error):
    refuse(form, error)
    return _page(request, row, child, status=400, **{name: form})


@personal("POST")
def decide(request, pk):
    """A manager approves the assessment or returns it with comments."""
    with transaction.atomic():
        found = open_case_record(request.user, Assessment.objects.all(), pk,
                                 what="assessment", change=True)
    if found is None:
        return not_found(request)
    row, child = found
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            services.decide_assessment(actor=request.user, assessment=row,
                                       approve=form.cleaned_data["decision"] == "approve",
                                       comments=form.cleaned_data["comments"])
        except services.Refused as error:
            return _refused(request, row, child, "approval_form", form, error)
        messages.success(request, "Decision recorded.")
        return redirect("cases:assessment", row.pk)
    return _refused(request, row, child, "approval_form", form,
                    services.Refused("decision", "Choose approve or return."))
