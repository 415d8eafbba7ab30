"""Task pages: the team's inbox and my tasks, one task with its form, notifications, rules.

Views parse and render; `outcomes` holds the rules. A refused change comes back to its own
form with the error on the field (status 400), and a GET on a form's address leads back to
the task page rather than a 405, so a reload never strands anyone.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from saferoptions.access.http import fail_closed
from saferoptions.access.routes import PERSONAL_DATA, SIGNED_IN, access_rule
from saferoptions.cases.services import Refused
from saferoptions.core.numbers import whole_number

from . import about, outcomes, selectors, services
from .forms import InboxFilterForm, ReasonForm, ReassignForm, outcome_form_class
from .models import Task, TaskStatus, TaskType
from .presenting import answers_for_reading, initial_from


def personal(view):
    """Personal data read through the policy; a task gone from the team mid-change is a 404."""
    @wraps(view)
    def guarded(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Task.DoesNotExist:
            raise Http404 from None
    return access_rule(PERSONAL_DATA)(login_required(fail_closed(guarded)))


# --- lists ------------------------------------------------------------------------------

def _list(request, *, mine: bool):
    members = selectors.team_members(request.user.team_id) if request.user.team_id else []
    form = InboxFilterForm(request.GET or None, members=members)
    filters = form.choices()
    found = selectors.inbox(request.user, mine=mine, filters=filters,
                            page=request.GET.get("page") or 1)
    keep = urlencode({k: ("1" if v is True else v) for k, v in filters.items()})
    context = {**found, "form": form, "mine": mine, "team": request.user.team,
               "keep": f"{keep}&" if keep else "", "refresh": selectors.refresh_seconds(),
               "notice_url": reverse("tasks:new") + "?" + urlencode(
                   {**{k: ("1" if v is True else v) for k, v in filters.items()},
                    "after": found["latest"], **({"mine": "1"} if mine else {})}),
               "notifications": selectors.unread_notifications(request.user)}
    return render(request, "tasks/inbox.html", context, status=400 if form.errors else 200)


@personal
def inbox(request):
    return _list(request, mine=False)


@personal
def my_tasks(request):
    return _list(request, mine=True)


@access_rule(SIGNED_IN)  # a count of new tasks only: no child, event or place is read
@login_required
def new_tasks(request):
    """The live part of a list: "3 new: show", never the rows under the reader's cursor."""
    members = selectors.team_members(request.user.team_id) if request.user.team_id else []
    form = InboxFilterForm(request.GET or None, members=members)  # "owner=<id>" keeps working
    count = selectors.new_since(request.user, after=whole_number(request.GET.get("after")) or 0,
                                mine=request.GET.get("mine") == "1", filters=form.choices())
    again = {k: v for k, v in request.GET.items() if k not in ("after", "page")}
    page = reverse("tasks:mine" if request.GET.get("mine") == "1" else "tasks:inbox")
    return render(request, "tasks/_new.html", {"count": count,
                                               "show": page + "?" + urlencode(again)})


# --- one task ---------------------------------------------------------------------------

def _outcome_form(page, data=None, initial=None):
    task = page["task"]
    kwargs = {"task": task, "data": data, "initial": initial}
    if task.task_type == TaskType.RISK_ASSESSMENT:
        kwargs["programmes"] = about.programme_choices(page["child"])
    return outcome_form_class(task.task_type)(**kwargs)


def _page_or_404(request, pk) -> dict:
    page = selectors.task_page(user=request.user, pk=pk)
    if page is None:
        raise Http404
    return page


def _render(request, page, *, status=200, template="tasks/detail.html", **forms):
    current = next((o for o in page["outcomes"] if o.state == "current"), None)
    context = {**page, "current": current,
               "versions": [(o, answers_for_reading(o)) for o in page["outcomes"]],
               "reassign_form": forms.pop("reassign_form", None)
               or ReassignForm(team_id=page["task"].team_id), **forms}
    if page["task"].status == TaskStatus.OPEN and "form" not in context:
        context["form"] = _outcome_form(page)
    return render(request, template, context, status=status)


@personal
def detail(request, pk):
    return _render(request, _page_or_404(request, pk))


def _refused(form, error: Refused) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@personal
def record_outcome(request, pk):
    page = _page_or_404(request, pk)
    if request.method != "POST":
        return redirect("tasks:detail", pk)
    form = _outcome_form(page, data=request.POST)
    if form.is_valid():
        try:
            outcomes.record_outcome(actor=request.user, task=page["task"],
                                    outcome=form.cleaned_data["outcome"],
                                    happened_at=form.happened_at(), answers=form.answers())
        except Refused as error:
            _refused(form, error)
        else:
            messages.success(request, "Outcome recorded. The task is done.")
            return redirect("tasks:detail", pk)
    return _render(request, page, status=400, form=form)


@personal
def complete(request, pk):
    """The old "Mark as done": done only with an outcome, so without one it is refused."""
    page = _page_or_404(request, pk)
    if request.method != "POST":
        return redirect("tasks:detail", pk)
    try:
        services.complete_task(actor=request.user, task=page["task"])
    except Refused as error:
        return _render(request, page, status=400, refusal=error.message)
    return redirect("tasks:inbox")


@personal
def correct_outcome(request, pk):
    page = _page_or_404(request, pk)
    current = next((o for o in page["outcomes"] if o.state == "current"), None)
    if current is None:
        return redirect("tasks:detail", pk)
    if request.method != "POST":
        form = _outcome_form(page, initial=initial_from(current))
        return _render(request, page, template="tasks/correct.html", form=form,
                       reason_form=ReasonForm())
    form, reason = _outcome_form(page, data=request.POST), ReasonForm(request.POST)
    if form.is_valid() & reason.is_valid():
        try:
            outcomes.correct_outcome(
                actor=request.user, task=page["task"], outcome=form.cleaned_data["outcome"],
                happened_at=form.happened_at(), answers=form.answers(),
                reason=reason.cleaned_data["reason"])
        except Refused as error:
            _refused(form, error)
        else:
            messages.success(request, "Outcome corrected. The earlier version is kept.")
            return redirect("tasks:detail", pk)
    return _render(request, page, status=400, template="tasks/correct.html", form=form,
                   reason_form=reason)


@personal
def withdraw_outcome(request, pk):
    page = _page_or_404(request, pk)
    if request.method != "POST":
        return _render(request, page, template="tasks/withdraw.html", reason_form=ReasonForm())
    reason = ReasonForm(request.POST)
    if reason.is_valid():
        try:
            outcomes.withdraw_outcome(actor=request.user, task=page["task"],
                                      reason=reason.cleaned_data["reason"])
        except Refused as error:
            _refused(reason, error)
        else:
            messages.success(request, "Outcome withdrawn. The task is open again.")
            return redirect("tasks:detail", pk)
    return _render(request, page, status=400, template="tasks/withdraw.html",
                   reason_form=reason)


@personal
def take(request, pk):
    page = _page_or_404(request, pk)
    if request.method == "POST":
        return _assign(request, page, request.user)
    return redirect("tasks:detail", pk)


@personal
def reassign(request, pk):
    page = _page_or_404(request, pk)
    if request.method != "POST":
        return redirect("tasks:detail", pk)
    form = ReassignForm(request.POST, team_id=page["task"].team_id)
    if not form.is_valid():
        return _render(request, page, status=400, reassign_form=form)
    return _assign(request, page, form.cleaned_data["assignee"], form=form)


def _assign(request, page, assignee, form=None):
    form = form or ReassignForm({"assignee": assignee.pk}, team_id=page["task"].team_id)
    try:
        outcomes.reassign_task(actor=request.user, task=page["task"], assignee=assignee)
    except Refused as error:
        form.is_valid()
        _refused(form, error)
        return _render(request, page, status=400, reassign_form=form)
    who = "you" if assignee == request.user else str(assignee)
    messages.success(request, f"The task is now assigned to {who}.")
    return redirect("tasks:detail", page["task"].pk)


# --- notifications and rules ------------------------------------------------------------

@access_rule(SIGNED_IN)
@login_required
def read_notifications(request):
    if request.method == "POST":
        # '²' passes str.isdigit() and int() refuses it: whole_number reads ASCII digits only.
        shown = [whole_number(t) for t in request.POST.getlist("task")]
        if None in shown:
            messages.error(request, "Nothing was marked as read: the list of notices sent was "
                           "not one this page gave. Reload the page and try again.")
            return redirect("tasks:inbox")
        services.mark_notifications_read(actor=request.user, task_ids=shown)
    return redirect("tasks:inbox")


@access_rule(SIGNED_IN)
@login_required
def rules(request):
    return render(request, "tasks/rules.html", {"rules": selectors.rules_for_reading()})
