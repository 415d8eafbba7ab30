"""Task pages: the team's live inbox, one task, notifications and the rules."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from saferoptions.access.routes import PERSONAL_DATA, SIGNED_IN, access_rule

from . import selectors, services


def _inbox_context(request) -> dict:
    return {"rows": selectors.inbox_rows(request.user), "team": request.user.team,
            "refresh": selectors.refresh_seconds()}


@access_rule(PERSONAL_DATA)
@login_required
def inbox(request):
    context = _inbox_context(request)  # htmx itself comes with the base template
    context["notifications"] = selectors.unread_notifications(request.user)[:20]
    return render(request, "tasks/inbox.html", context)


@access_rule(PERSONAL_DATA)
@login_required
def inbox_rows(request):
    return render(request, "tasks/_rows.html", _inbox_context(request))


@access_rule(PERSONAL_DATA)
@login_required
def detail(request, pk):
    page = selectors.task_page(user=request.user, pk=pk)
    if page is None:
        raise Http404
    return render(request, "tasks/detail.html", page)


@access_rule(PERSONAL_DATA)
@require_POST
@login_required
def complete(request, pk):
    task = selectors.task_for(request.user, pk)
    if task is None:
        raise Http404
    services.complete_task(actor=request.user, task=task)
    return redirect("tasks:inbox")


@access_rule(SIGNED_IN)
@require_POST
@login_required
def read_notifications(request):
    services.mark_notifications_read(actor=request.user)
    return redirect("tasks:inbox")


@access_rule(SIGNED_IN)
@login_required
def rules(request):
    return render(request, "tasks/rules.html", {"rules": selectors.rules_for_reading()})
