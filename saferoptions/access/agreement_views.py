"""Information sharing agreement pages: a system administrator proposes, the DPO approves."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import agreements
from .forms import AgreementDecisionForm, AgreementEndForm, AgreementForm
from .models import AgreementState
from .routes import ROLES, access_rule

GET_POST = require_http_methods(["GET", "POST"])


def _bound(form_class, request):
    return form_class(request.POST if request.method == "POST" else None)


def _found(request, pk):
    found = agreements.agreement(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


@access_rule(ROLES, roles=agreements.VIEWERS)
@require_http_methods(["GET"])
def agreement_list(request):
    query = agreements.agreement_query(request.GET)
    return render(request, "access/agreements/list.html", {
        "query": query, "paged": agreements.agreements(user=request.user, query=query),
        "can_propose": request.user.role in agreements.PROPOSERS})


@access_rule(ROLES, roles=agreements.PROPOSERS)
@GET_POST
def agreement_new(request):
    form = _bound(AgreementForm, request)
    if request.method == "POST" and form.is_valid():
        try:
            found = agreements.propose(actor=request.user, **form.cleaned_data)
        except agreements.AgreementRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(request, "The agreement waits for the data protection officer.")
            return redirect("access:agreement", pk=found.pk)
    return render(request, "access/agreements/new.html", {"form": form})


@access_rule(ROLES, roles=agreements.VIEWERS)
@GET_POST
def agreement(request, pk):
    """One agreement; the data protection officer decides on a proposal here."""
    found = _found(request, pk)
    form = _bound(AgreementDecisionForm, request)
    if request.method == "POST" and form.is_valid():
        try:
            agreements.decide(actor=request.user, agreement=found,
                              approve=form.cleaned_data["decision"] == "approve",
                              note=form.cleaned_data["note"])
        except agreements.AgreementRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"The agreement was {found.get_state_display().lower()}.")
            return redirect("access:agreement", pk=found.pk)
    may_decide = (found.state == AgreementState.PROPOSED
                  and request.user.role in agreements.APPROVERS
                  and request.user.pk != found.proposed_by_id)
    return render(request, "access/agreements/detail.html", {
        "agreement": found, "form": form, "may_decide": may_decide,
        "may_end": found.state == AgreementState.APPROVED})


@access_rule(ROLES, roles=agreements.VIEWERS)
@GET_POST
def agreement_end(request, pk):
    found = _found(request, pk)
    form = _bound(AgreementEndForm, request)
    if request.method == "POST" and form.is_valid():
        try:
            agreements.end(actor=request.user, agreement=found,
                           ends_on=form.cleaned_data["ends_on"])
        except agreements.AgreementRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(request, "The agreement's end date was set.")
            return redirect("access:agreement", pk=found.pk)
    return render(request, "access/agreements/end.html", {"agreement": found, "form": form})
