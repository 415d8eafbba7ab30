"""Account pages: system administrators create and change accounts; a second person approves.

Views parse and render; the rules (who may, self-changes, what widens reach) are in
`changes.py` and `reach.py`.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from saferoptions.access.routes import ROLES, access_rule

from . import changes, otp, selectors
from .forms import AccountFilterForm, DecisionForm, NewAccountForm, PlacementForm, ReasonForm
from .reach import APPROVERS, MANAGERS

GET_POST = require_http_methods(["GET", "POST"])


def _bound(form_class, request, **kwargs):
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def _status(form) -> int:
    """A posted form shown again (invalid or refused) answers 400, as the site's forms do."""
    return 400 if form.is_bound else 200


def _refused(form, refused: changes.AccountChangeRefused) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, str(refused))


def _account(request, pk):
    found = selectors.account(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


@access_rule(ROLES, roles=APPROVERS)
@require_http_methods(["GET"])
def account_list(request):
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = selectors.accounts(user=request.user, filters=filters, page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/manage/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_manage": request.user.role in MANAGERS})


@access_rule(ROLES, roles=MANAGERS)
@GET_POST
def account_new(request):
    form = _bound(NewAccountForm, request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, change = changes.create_account(
                actor=request.user, username=data["username"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"],
                placement=form.placement(), note=data["note"])
        except changes.AccountChangeRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, _created_message(user, change))
            return redirect("accounts:account", pk=user.pk)
    return render(request, "accounts/manage/new.html", {"form": form}, status=_status(form))


def _created_message(user, change) -> str:
    return (f"The account {user.username} was added. It waits for a second person's approval; "
            "once approved, send the person their password link.")


@access_rule(ROLES, roles=APPROVERS)
@require_http_methods(["GET"])
def account(request, pk):
    found = _account(request, pk)
    return render(request, "accounts/manage/detail.html", {
        "account": found, "changes": selectors.changes_for(found),
        "has_authenticator": otp.confirmed_device(found) is not None,
        "can_manage": request.user.role in MANAGERS and found.pk != request.user.pk,
        "is_self": found.pk == request.user.pk})


@access_rule(ROLES, roles=MANAGERS)
@GET_POST
def account_change(request, pk):
    found = _account(request, pk)
    form = _bound(PlacementForm, request, initial={
        "role": found.role, "agency": found.agency_id, "team": found.team_id,
        "locality": found.locality_id, "is_active": found.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            pending = changes.change_placement(actor=request.user, user=found,
                                               placement=form.placement(),
                                               note=form.cleaned_data["note"])
        except changes.AccountChangeRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The change waits for a second person's approval."
                             if pending else "The account was changed.")
            return redirect("accounts:account", pk=found.pk)
    return render(request, "accounts/manage/change.html", {"account": found, "form": form},
                  status=_status(form))


@access_rule(ROLES, roles=MANAGERS)
@never_cache
@GET_POST
def account_password_link(request, pk):
    found = _account(request, pk)
    sent_to, error = None, None
    if request.method == "POST":
        try:
            sent_to = changes.send_password_link(actor=request.user, user=found,
                                                 absolute=request.build_absolute_uri)
        except changes.AccountChangeRefused as refused:
            error = str(refused)
    return render(request, "accounts/manage/password_link.html", {
        "account": found, "sent_to": sent_to, "error": error,
        "timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)},
        status=400 if error else 200)


@access_rule(ROLES, roles=MANAGERS)
@GET_POST
def account_second_factor(request, pk):
    found = _account(request, pk)
    form = _bound(ReasonForm, request)
    if request.method == "POST" and form.is_valid():
        try:
            changes.propose_second_factor_reset(actor=request.user, user=found,
                                                note=form.cleaned_data["note"])
        except changes.AccountChangeRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The reset waits for a second person's approval.")
            return redirect("accounts:account", pk=found.pk)
    return render(request, "accounts/manage/second_factor.html",
                  {"account": found, "form": form})


@access_rule(ROLES, roles=APPROVERS)
@require_http_methods(["GET"])
def change_list(request):
    return render(request, "accounts/manage/changes.html",
                  {"changes": selectors.pending_changes(user=request.user)})


@access_rule(ROLES, roles=APPROVERS)
@GET_POST
def change_decide(request, pk):
    found = selectors.change(user=request.user, pk=pk)
    if found is None:
        raise Http404
    form = _bound(DecisionForm, request)
    if request.method == "POST" and form.is_valid():
        decide = changes.approve if form.cleaned_data["decision"] == "approve" else changes.refuse
        try:
            decide(actor=request.user, change=found, note=form.cleaned_data["note"])
        except changes.AccountChangeRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"The change was {found.get_state_display().lower()}.")
            return redirect("accounts:changes")
    may_decide = (found.state == found.State.PENDING
                  and request.user.pk not in (found.proposed_by_id, found.user_id))
    return render(request, "accounts/manage/decide.html",
                  {"change": found, "form": form, "may_decide": may_decide},
                  status=_status(form))
