"""Merge and split pages, reached from a child's page. A person the user may not change and a
person that does not exist give the same 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from saferoptions.access.http import fail_closed, not_found
from saferoptions.access.routes import ROLES, access_rule

from . import merge_selectors as select
from .forms import ConfirmForm, NameSearchForm, SplitForm
from .merges import MergeRefused, merge_persons, split_identities, undo_merge
from .roles import MERGERS


@access_rule(ROLES, roles=MERGERS)
@login_required
@fail_closed
def merge_search(request, public_id):
    """Find the other record of the same child."""
    person = select.person_to_change(user=request.user, public_id=public_id)
    if person is None:
        return not_found(request, str(public_id))
    search = NameSearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    people = select.people_to_merge_with(user=request.user, person=person, query=query)
    return render(request, "linkage/merge_search.html",
                  {"person": person, "search": search, "people": people, "query": query})


@access_rule(ROLES, roles=MERGERS)
@login_required
@fail_closed
def merge_confirm(request, public_id, other_id):
    """Check both records and give a reason; the person whose page you came from is kept."""
    person = select.person_to_change(user=request.user, public_id=public_id)
    other = select.person_to_change(user=request.user, public_id=other_id) if person else None
    if person is None or other is None:
        return not_found(request, str(public_id))
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            merge_persons(actor=request.user, survivor=person, absorbed=other,
                          reason=form.cleaned_data["reason"])
        except MergeRefused as refused:
            form.add_error("reason" if refused.field == "reason" else None, refused.message)
        else:
            messages.success(request, "Records merged. You can undo this from the list of "
                                      "merges and splits.")
            return redirect("people:detail", person.public_id)
    return render(request, "linkage/merge_confirm.html",
                  {"person": person, "other": other, "form": form},
                  status=400 if form.errors else 200)


@access_rule(ROLES, roles=MERGERS)
@login_required
@fail_closed
def split(request, public_id):
    """Choose the agency records that belong to someone else; they move to a new person."""
    person = select.person_to_change(user=request.user, public_id=public_id)
    if person is None:
        return not_found(request, str(public_id))
    identities = select.identities_to_split(user=request.user, person=person)
    form = SplitForm(request.POST or None, identities=identities)
    if request.method == "POST" and form.is_valid():
        chosen = [i for i in identities if i.pk in form.cleaned_data["identities"]]
        try:
            done = split_identities(actor=request.user, person=person, identities=chosen,
                                    reason=form.cleaned_data["reason"])
        except MergeRefused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            messages.success(request, "Records moved to a new person.")
            return redirect("people:detail", done.to_person.public_id)
    return render(request, "linkage/split.html",
                  {"person": person, "identities": identities, "form": form},
                  status=400 if form.errors else 200)


@access_rule(ROLES, roles=MERGERS)
@login_required
@fail_closed
def changes(request, public_id):
    """The merges and splits this person was part of, with a way to undo each."""
    person = select.person_to_change(user=request.user, public_id=public_id)
    if person is None:
        return not_found(request, str(public_id))
    return render(request, "linkage/changes.html",
                  {"person": person, "changes": select.changes_of(user=request.user,
                                                                  person=person)})


@access_rule(ROLES, roles=MERGERS)
@login_required
@fail_closed
def undo(request, pk):
    """Undo a merge or split exactly, with a reason."""
    change = select.change_to_undo(user=request.user, pk=pk)
    if change is None:
        return not_found(request)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            undo_merge(actor=request.user, merge=change, reason=form.cleaned_data["reason"])
        except MergeRefused as refused:
            form.add_error("reason" if refused.field == "reason" else None, refused.message)
        else:
            messages.success(request, "Undone: every record is back where it was.")
            return redirect("linkage:changes", change.from_person.public_id
                            if change.kind == "split" else change.to_person.public_id)
    return render(request, "linkage/undo.html", {"change": change, "form": form},
                  status=400 if form.errors else 200)
