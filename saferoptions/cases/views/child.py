"""The child's case page: team, clocks, meetings, NRM, and the chronology."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from saferoptions.access import policy
from saferoptions.contexts.models import Group, Place
from saferoptions.core import clock
from saferoptions.core.queues import Filter, page_of, read_query

from .. import services
from ..forms import (
    ChronologyFilterForm,
    MeetingForm,
    NrmDecisionForm,
    NrmReferralForm,
    PlanForm,
    ReturnInterviewForm,
    StartAssessmentForm,
    TeamEndForm,
    TeamMemberForm,
)
from ..models import NrmReferral, StatutoryClock, TeamAroundChildMember
from ..selectors.child import case_summary, open_case_record, open_child
from ..selectors.chronology import KINDS, chronology
from ..selectors.triage import openable_concerns
from ..services.assessments import may_start_assessment
from ..services.clock_corrections import ended_as_not_needed
from ..team_rules import may_change_team
from .common import not_found, personal, refuse, transaction


def _contexts(user):
    # Every group and place the viewer may list: the picker searches them, so none is cut off.
    return (list(policy.restrict(user, "list", Group.objects.order_by("name"))),
            list(policy.restrict(user, "list", Place.objects.order_by("name"))))


ROW_FORMS = {"rhi_form": ("clocks", ReturnInterviewForm, "rhi"),
             "decision_form": ("referrals", NrmDecisionForm, "nrm")}


def _row_forms(summary, failed):
    """One form per clock or referral, with its own ids; a failed one keeps its input."""
    for name, (rows, form_class, prefix) in ROW_FORMS.items():
        for row in getattr(summary, rows):
            key = (name, row.pk)
            form = failed[1] if failed and failed[0] == key else \
                form_class(auto_id=f"{prefix}{row.pk}_%s")
            setattr(row, name, form)


KNOWN_PAGE = 10  # "What is known": the newest ten, then the pages before them


def _concern_links(user, summary) -> None:
    """A clock's concern is linked only for those the triage screen opens for (others: a 404)."""
    named = [c.concern.pk for c in summary.clocks if c.concern]
    openable = openable_concerns(user, named)
    for row in summary.clocks:
        row.concern_open = bool(row.concern) and row.concern.pk in openable


def _case_page(request, summary, status=200, failed=None, **forms):
    groups, places = _contexts(request.user)
    _row_forms(summary, failed)
    _concern_links(request.user, summary)
    for row in summary.clocks:  # ended because what started it was withdrawn or corrected
        row.not_needed = ended_as_not_needed(row)
    child = summary.child
    context = {
        "s": summary, "person": child.person,
        "known_page": Paginator(summary.known.items if summary.known else [],
                                KNOWN_PAGE).get_page(request.GET.get("known")),
        # The service asks the same question and refuses anyone else.
        "may_start_assessment": child.may_change
        and may_start_assessment(request.user, child.person),
        "may_change_team": child.may_change and not child.decision.is_break_glass
        and may_change_team(request.user, child.person),
        "team_form": TeamMemberForm(), "end_form": TeamEndForm(), "meeting_form": MeetingForm(),
        "nrm_form": NrmReferralForm(), "start_form": StartAssessmentForm(),
        "plan_form": PlanForm(groups=groups, places=places),
    }
    context.update(forms)
    return render(request, "cases/child.html", context, status=status)


@personal()
def child_case(request, public_id):
    """The child's pathway on one page."""
    summary = case_summary(user=request.user, public_id=public_id)
    if summary is None:
        return not_found(request, str(public_id))
    return _case_page(request, summary)


def _child_post(request, public_id, form_class, name, act):
    """Open the child for a change, validate, call the service; the page again on error."""
    with transaction.atomic():
        child = open_child(request.user, public_id, what="case", change=True)
    if child is None:
        return not_found(request, str(public_id))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = act(child, form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, message)
            return redirect("cases:child", public_id)
    summary = case_summary(user=request.user, public_id=public_id)
    return _case_page(request, summary, status=400, **{name: form})


@personal("POST")
def team_add(request, public_id):
    def act(child, data):
        services.add_team_member(actor=request.user, person=child.person, user=data["user"],
                                 role=data["role"], started_on=data["started_on"],
                                 reason=data["reason"])
        return "Added to the team around the child."
    return _child_post(request, public_id, TeamMemberForm, "team_form", act)


@personal("POST")
def team_end(request, public_id, member):
    with transaction.atomic():
        found = open_case_record(request.user, TeamAroundChildMember.objects.all(), member,
                                 what="team_member", change=True)
    if found is None or str(found[1].person.public_id) != str(public_id):
        return not_found(request, str(public_id))
    # Each member has their own "why" box on the child's page: the ids name the member, so the
    # error summary's link lands on the box that was sent empty.
    form = TeamEndForm(request.POST, auto_id=f"end{found[0].pk}_%s")
    if form.is_valid():
        try:
            services.end_team_membership(actor=request.user, member=found[0],
                                         reason=form.cleaned_data["end_reason"])
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "Membership ended: their access ends today.")
            return redirect("cases:child", public_id)
    summary = case_summary(user=request.user, public_id=public_id)
    return _case_page(request, summary, status=400, end_form=form, end_member=found[0].pk)


@personal("POST")
def meeting(request, public_id):
    def act(child, data):
        services.record_meeting(actor=request.user, person=child.person, **data)
        return "Meeting recorded; its clocks are updated."
    return _child_post(request, public_id, MeetingForm, "meeting_form", act)


@personal("POST")
def nrm_referral(request, public_id):
    def act(child, data):
        services.record_nrm_referral(actor=request.user, person=child.person, **data)
        return "NRM referral recorded; the reasonable grounds clock has started."
    return _child_post(request, public_id, NrmReferralForm, "nrm_form", act)


def _record_post(request, queryset, pk, what, name, act):
    """A change to one clock or referral on the child's page, through its child."""
    with transaction.atomic():
        found = open_case_record(request.user, queryset, pk, what=what, change=True)
    if found is None:
        return not_found(request)
    row, child = found
    _, form_class, prefix = ROW_FORMS[name]
    form = form_class(request.POST, auto_id=f"{prefix}{row.pk}_%s")
    if form.is_valid():
        try:
            message = act(row, form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, message)
            return redirect("cases:child", child.person.public_id)
    summary = case_summary(user=request.user, public_id=child.person.public_id)
    return _case_page(request, summary, status=400, failed=((name, row.pk), form))


@personal("POST")
def nrm_decision(request, pk):
    def act(referral, data):
        services.record_nrm_decision(actor=request.user, referral=referral, **data)
        return "NRM decision recorded."
    return _record_post(request, NrmReferral.objects.all(), pk, "nrm_referral",
                        "decision_form", act)


@personal("POST")
def return_interview(request, pk):
    def act(row, data):
        services.record_return_home_interview(actor=request.user, clock_row=row, **data)
        return "Return home interview recorded."
    queryset = StatutoryClock.objects.filter(kind="return_home_interview")
    return _record_post(request, queryset, pk, "statutory_clock", "rhi_form", act)


@personal()
def child_chronology(request, public_id):
    """Everything the viewer may see about the child, newest first, filterable and printable."""
    form = ChronologyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = chronology(user=request.user, public_id=public_id, kinds=data.get("kinds") or (),
                       agency=data.get("agency") or "", since=data.get("since"),
                       until=data.get("until"))
    if found is None:
        return not_found(request, str(public_id))
    child, entries, agencies = found
    printing = bool(request.GET.get("print"))
    template = "cases/chronology_print.html" if printing else "cases/chronology.html"
    # On screen a page of 50, the filters kept in the page links; printed, all of it.
    query = read_query(request.GET, sorts=(("recent", "Newest first"),),
                       filters=(Filter("kinds", "Show", tuple(KINDS.items()), many=True),),
                       keep=[k for k in request.GET if k not in ("page", "kinds", "sort")])
    paged = None if printing else page_of(query, entries, what="entries")
    return render(request, template, {
        "person": child.person, "child": child, "agencies": agencies, "form": form,
        "entries": entries if printing else paged.rows, "paged": paged, "query": query,
        "kinds": KINDS, "printed_at": clock.now()}, status=400 if form.errors else 200)
