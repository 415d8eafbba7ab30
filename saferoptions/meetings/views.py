"""Meeting pages: thin views over `selectors` (reads) and `services` (changes).

A user who may not open a meeting gets the same 404 as for a meeting that does not exist, on
every page and every POST.
"""

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.routes import PERSONAL_DATA, access_rule
from saferoptions.core.queues import page_of, read_query

from . import forms, permissions, selectors, services
from .errors import NotAllowed, Refused
from .models import MeetingAction


def meeting_view(view):
    """Load the meeting the user may open (else the common 404); refusals become 404s too."""

    @wraps(view)
    def wrapped(request, pk, *args, **kwargs):
        meeting = selectors.meeting_for(request.user, pk)
        if meeting is None:
            return not_found(request)
        try:
            return view(request, meeting, *args, **kwargs)
        except NotAllowed:
            return not_found(request)

    return wrapped


def _chair_only(meeting, request) -> None:
    if not permissions.may_run(request.user, meeting):
        raise NotAllowed


def _page(request, meeting, status=200, **extra):
    page = selectors.meeting_page(user=request.user, meeting=meeting, params=request.GET)
    if page.query.problems and status == 200:
        status = 400  # a bad page number: the first page, with the message
    context = {"page": page, "meeting": meeting, "query": page.query, "paged": page.paged,
               "invite_form": forms.InviteForm(meeting=meeting),
               "attendance_form": forms.AttendanceForm(attendees=page.invited), **extra}
    return render(request, "meetings/meeting.html", context, status=status)


def _show(form, error: Refused) -> dict:
    """Put a refusal on its field; one about the meeting itself goes at the top of the page."""
    if error.field in form.fields:
        form.add_error(error.field, error.message)
        return {}
    return {"error": error.message}


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
def meeting_list(request):
    """Upcoming and past meetings the user may open."""
    if not permissions.may_use_meetings(request.user):
        return not_found(request)
    return render(request, "meetings/list.html",
                  selectors.meeting_list(request.user, page=request.GET.get("page", 1)))


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
@meeting_view
def meeting(request, meeting):
    """The agenda, each item as this viewer may see it."""
    return _page(request, meeting)


def _chair_step(request, meeting, step):
    """A chair's button on the meeting (start, refresh, close): do it, or say why not."""
    _chair_only(meeting, request)
    try:
        step(actor=request.user, meeting=meeting)
    except Refused as error:
        return _page(request, meeting, status=400, error=error.message)
    return redirect("meetings:meeting", meeting.pk)


@access_rule(PERSONAL_DATA)
@login_required
@require_POST
@fail_closed
@meeting_view
def start(request, meeting):
    return _chair_step(request, meeting, services.start_meeting)


@access_rule(PERSONAL_DATA)
@login_required
@require_POST
@fail_closed
@meeting_view
def refresh(request, meeting):
    return _chair_step(request, meeting, services.refresh_agenda)


@access_rule(PERSONAL_DATA)
@login_required
@require_POST
@fail_closed
@meeting_view
def close(request, meeting):
    return _chair_step(request, meeting, services.close_meeting)


@access_rule(PERSONAL_DATA)
@login_required
@require_POST
@fail_closed
@meeting_view
def invite(request, meeting):
    _chair_only(meeting, request)
    form, shown = forms.InviteForm(request.POST, meeting=meeting), {}
    if form.is_valid():
        try:
            services.invite(actor=request.user, meeting=meeting, user=form.cleaned_data["user"])
        except Refused as error:
            shown = _show(form, error)
        else:
            return redirect("meetings:meeting", meeting.pk)
    return _page(request, meeting, status=400, invite_form=form, **shown)


@access_rule(PERSONAL_DATA)
@login_required
@require_POST
@fail_closed
@meeting_view
def attendance(request, meeting):
    _chair_only(meeting, request)
    attendees = list(meeting.attendees.filter(withdrawn_at__isnull=True)
                     .select_related("user", "agency"))
    form, shown = forms.AttendanceForm(request.POST, attendees=attendees), {}
    if form.is_valid():
        present = {int(pk) for pk in form.cleaned_data["present"]}
        try:
            services.record_attendance(actor=request.user, meeting=meeting, present=present)
        except Refused as error:
            shown = _show(form, error)
        else:
            return redirect("meetings:meeting", meeting.pk)
    return _page(request, meeting, status=400, attendance_form=form, **shown)


@access_rule(PERSONAL_DATA)
@login_required
@require_http_methods(["GET", "POST"])
@fail_closed
@meeting_view
def withdraw_invitation(request, meeting, attendee):
    """Ask the chair to confirm, naming the person and the meeting; then withdraw."""
    _chair_only(meeting, request)
    found = meeting.attendees.select_related("user", "agency", "withdrawn_by").filter(
        pk=attendee).first()
    if found is None:
        return not_found(request)
    posted = request.POST if request.method == "POST" else None  # an empty post is bound
    form, shown = forms.WithdrawInvitationForm(posted, attendee=found), {}
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_invitation(actor=request.user, attendee=found,
                                         every_week=form.every_week)
        except Refused as error:
            shown = _show(form, error)
        else:
            messages.success(request, _withdrawn_words(found, form.every_week))
            return redirect("meetings:meeting", meeting.pk)
    return render(request, "meetings/withdraw_invitation.html", {
        "meeting": meeting, "attendee": found, "form": form, **shown,
        "name": found.user.get_full_name() or found.user.username,
    }, status=400 if request.method == "POST" else 200)


def _withdrawn_words(attendee, every_week: bool) -> str:
    name = attendee.user.get_full_name() or attendee.user.username
    if every_week:
        return (f"{name}'s invitation is withdrawn from every week: they are not invited to "
                f"this locality's meetings again until a chair invites them.")
    again = (" They are invited again to the next meeting, as someone who comes every week."
             if attendee.comes_every_week else "")
    return f"{name}'s invitation to this meeting is withdrawn.{again}"


def _item_page(request, meeting, pk, status=200, **extra):
    view = selectors.item_page(user=request.user, meeting=meeting, pk=pk)
    if view is None:
        return not_found(request)
    item = view.item
    may_record = (permissions.may_run(request.user, meeting) and view.visible
                  and not meeting.is_closed)
    # Actions stay correctable after the meeting closes: a mistake is put right, with a reason.
    may_correct = permissions.may_run(request.user, meeting) and view.visible
    action_form = extra.pop("action_form", None) or forms.ActionForm()
    if may_record:
        action_form.group_teams(selectors.team_choices(item, meeting.locality_id))
    # A child discussed week after week gathers more actions than a page (the minutes, printed
    # whole, keep them all).
    query = read_query(request.GET, sorts=(("agreed", "As agreed"),))
    actions = page_of(query, view.actions, what="actions")
    context = {
        "meeting": meeting, "view": view, "may_record": may_record, "may_correct": may_correct,
        "actions": actions.rows, "paged": actions, "query": query,
        # A chair who may not see one of the item's reasons is not shown what others wrote
        # about it (view.complete): their form starts empty and what they write is added.
        "discussion_form": forms.DiscussionForm(initial={
            "notes": item.notes if view.complete else "",
            "decision": item.decision if view.complete else "",
            "discussed": item.discussed or not item.decision}),
        "action_form": action_form, "withdraw_form": forms.WithdrawActionForm(),
        **extra,
    }
    return render(request, "meetings/item.html", context, status=status)


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
@meeting_view
def item(request, meeting, item):
    return _item_page(request, meeting, item)


def _item_change(request, meeting, pk, form_class, form_name, change, **also):
    """Post one of the item page's forms; a refusal shows the page again with `also` (the
    other forms as typed) so nothing typed is lost."""
    _chair_only(meeting, request)
    found = meeting.items.filter(pk=pk).first()
    if found is None:
        return not_found(request)
    form, shown = form_class(request.POST), {}
    if form.is_valid():
        try:
            change(found, form.cleaned_data)
        except Refused as error:
            shown = _show(form, error) if error.message else {}
        else:
            return redirect("meetings:item", meeting.pk, found.pk)
    return _item_page(request, meeting, pk, status=400, **{form_name: form}, **also, **shown)


# The item page is one form: the discussion and the action are posted together, whichever
# button is pressed, so notes typed before "Add the action" are kept (seen in a live meeting:
# the chair's notes came back empty), and an action typed before "Save the discussion" is
# added with it, or comes back with its problem, never dropped.
ACTION_FIELDS = ("description", "team", "due_on", "due_on_day", "due_on_month", "due_on_year")


def _action_typed(post) -> bool:
    return any(str(post.get(name, "")).strip() for name in ACTION_FIELDS)


def _typed_discussion(post) -> forms.DiscussionForm:
    """What was typed in the discussion boxes, shown again as typed, with no errors of its own."""
    return forms.DiscussionForm(initial={"notes": post.get("notes", ""),
                                         "decision": post.get("decision", ""),
                                         "discussed": bool(post.get("discussed"))})


@access_rule(PERSONAL_DATA)
@login_required
@require_POST
@fail_closed
@meeting_view
def discussion(request, meeting, item):
    typed = _action_typed(request.POST)
    action_form = forms.ActionForm(request.POST) if typed else forms.ActionForm()

    def change(found, data):
        if typed and not action_form.is_valid():
            raise Refused("", "")  # the action's own errors are shown on its fields
        action = ({"description": action_form.cleaned_data["description"],
                   "team": action_form.cleaned_data["team"],
                   "due_on": action_form.cleaned_data["due_on"]} if typed else None)
        services.record_discussion(actor=request.user, item=found, notes=data["notes"],
                                   decision=data["decision"], discussed=data["discussed"],
                                   action=action)

    return _item_change(request, meeting, item, forms.DiscussionForm, "discussion_form", change,
                        action_form=action_form)


@access_rule(PERSONAL_DATA)
@login_required
@require_POST
@fail_closed
@meeting_view
def action(request, meeting, item):
    def change(found, data):
        services.add_action(actor=request.user, item=found, description=data["description"],
                            team=data["team"], due_on=data["due_on"],
                            notes=request.POST.get("notes", ""),
                            decision=request.POST.get("decision", ""),
                            discussed=bool(request.POST.get("discussed")))

    return _item_change(request, meeting, item, forms.ActionForm, "action_form", change,
                        discussion_form=_typed_discussion(request.POST))


@access_rule(PERSONAL_DATA)
@login_required
@require_POST
@fail_closed
@meeting_view
def withdraw_action(request, meeting, item, action):
    """A mistaken action is withdrawn with a reason; a refusal comes back to the item page."""
    found = MeetingAction.objects.filter(pk=action, item_id=item, item__meeting=meeting).first()
    if found is None:
        return not_found(request)

    def change(_item, data):
        services.withdraw_action(actor=request.user, action=found, reason=data["reason"])

    return _item_change(request, meeting, item, forms.WithdrawActionForm, "withdraw_form",
                        change)


@access_rule(PERSONAL_DATA)
@login_required
@require_http_methods(["GET", "POST"])
@fail_closed
@meeting_view
def correct_action(request, meeting, item, action):
    """Put an action right (words, team, due date) with a reason; a refusal keeps the form."""
    _chair_only(meeting, request)
    found = (MeetingAction.objects.select_related("team")
             .filter(pk=action, item_id=item, item__meeting=meeting).first())
    view = selectors.item_page(user=request.user, meeting=meeting, pk=item) if found else None
    if view is None or not view.visible:
        return not_found(request)
    initial = {"description": found.description, "team": found.team_id, "due_on": found.due_on}
    form = forms.CorrectActionForm(request.POST if request.method == "POST" else None,
                                   initial=initial)
    form.group_teams(selectors.team_choices(view.item, meeting.locality_id))
    shown = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.correct_action(actor=request.user, action=found,
                                    description=data["description"], team=data["team"],
                                    due_on=data["due_on"], reason=data["reason"])
        except Refused as error:
            shown = _show(form, error)
        else:
            return redirect("meetings:item", meeting.pk, item)
    return render(request, "meetings/correct_action.html", {
        "meeting": meeting, "view": view, "action": found, "form": form, **shown,
    }, status=400 if request.method == "POST" else 200)


@access_rule(PERSONAL_DATA)
@login_required
@require_http_methods(["GET", "POST"])
@fail_closed
@meeting_view
def add(request, meeting):
    """Find a child (through the policy), a peer group or a place, and add it to the agenda."""
    _chair_only(meeting, request)
    find = forms.FindForm(request.GET or None)
    query = find.cleaned_data["q"] if find.is_valid() else ""
    error, status = "", 200
    if request.method == "POST":
        try:
            _add(request, meeting)
        except Refused as refused:
            error, status = refused.message, 400
        else:
            return redirect("meetings:meeting", meeting.pk)
    found = selectors.find_to_add(user=request.user, meeting=meeting, query=query)
    return render(request, "meetings/add.html", {
        "meeting": meeting, "find": find, "query": query, "found": found, "error": error,
    }, status=status)


def _add(request, meeting) -> None:
    form = forms.AddForm(request.POST)
    if not form.is_valid():
        raise Refused("subject", "Choose a child, peer group or place from the results.")
    kind, ref = form.cleaned_data["kind"], form.cleaned_data["ref"]
    subject = _subject(request.user, kind, ref)
    if subject is None:  # absent and not allowed: the same answer
        raise Refused("subject", "Choose a child, peer group or place from the results.")
    services.add_item(actor=request.user, meeting=meeting, **{
        {"child": "person"}.get(kind, kind): subject})


def _subject(user, kind: str, ref: str):
    try:
        if kind == "child":
            return selectors.child_to_add(user=user, reference=uuid.UUID(ref))
        return selectors.context_to_add(user=user, kind=kind, pk=int(ref))
    except ValueError:
        return None


@access_rule(PERSONAL_DATA)
@login_required
@require_GET
@fail_closed
@meeting_view
def minutes(request, meeting):
    """The minutes as the viewer's agency may see them, ready to print."""
    return render(request, "meetings/minutes.html",
                  selectors.minutes(user=request.user, meeting=meeting))
