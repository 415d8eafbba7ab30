"""Clerical review pages: the queue, a pair side by side, unmatched records, the threshold
read-out. Thin: parse, call a selector or a service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html

from saferoptions.access.http import fail_closed
from saferoptions.access.routes import ROLES, access_rule

from . import review, selectors
from .forms import (
    NameSearchForm,
    PairDecisionForm,
    QueueFilterForm,
    UnmatchedDecisionForm,
    UnmatchedFilterForm,
)
from .merge_selectors import people_to_merge_with, person_to_change
from .models import ReviewStatus
from .roles import REVIEWERS, TUNERS


@access_rule(ROLES, roles=REVIEWERS)
@login_required
@fail_closed
def queue(request):
    """Pairs waiting for a decision, in the order asked, by agency pair if asked. A bad value
    is named in the error summary and left out; the queue still shows."""
    form = QueueFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    data = getattr(form, "cleaned_data", {})
    sort = request.GET.get("sort") or "oldest"
    if sort not in selectors.REVIEW_SORTS:
        form.add_error(None, f"Sort by: the queue cannot be sorted by '{sort[:40]}'; it is "
                             "sorted waiting longest first instead.")
        sort = "oldest"
    both = data.get("agency_a") and data.get("agency_b")
    agencies = (data["agency_a"].pk, data["agency_b"].pk) if both else None
    found = selectors.review_queue(user=request.user, page=data.get("page") or 1,
                                   agencies=agencies, sort=sort)
    keep = request.GET.copy()
    keep.pop("page", None)
    keep = keep.urlencode() + "&" if keep else ""
    sorts = [(key, label) for key, (label, _) in selectors.REVIEW_SORTS.items()]
    return render(request, "linkage/queue.html",
                  {"form": form, "found": found, "keep": keep, "sorts": sorts, "sort": sort},
                  status=400 if form.errors else 200)


@access_rule(ROLES, roles=REVIEWERS)
@login_required
@fail_closed
def pair(request, pk):
    """Two records side by side with each field's share of the match weight, and a decision."""
    view = selectors.review_pair(user=request.user, pk=pk)
    if view is None:
        raise Http404
    form = PairDecisionForm(request.POST or None)
    may_decide = all(side.visible for side in view.sides)
    if request.method == "POST" and form.is_valid():
        if not may_decide:
            form.add_error(None, "You may not see both records, so you cannot decide on them.")
        elif (outcome := _decided(form, view.pair, request.user)) is not None:
            messages.success(request, told(outcome))
            return redirect("linkage:review-queue")
    decided = view.pair.status in (ReviewStatus.MATCH, ReviewStatus.NOT_MATCH)
    return render(request, "linkage/pair.html",
                  {"view": view, "form": form, "decided": decided, "may_decide": may_decide},
                  status=400 if form.errors else 200)


def _decided(form, found, user) -> review.PairOutcome | None:
    try:
        return review.decide_pair(actor=user, pair=found, **form.cleaned_data)
    except review.DecisionRefused as refused:
        form.add_error(refused.field, refused.message)
        return None


def told(outcome: review.PairOutcome) -> str:
    """What the decision did, in plain words, with the way on where there is one."""
    person = outcome.person
    if outcome.done == review.MERGED:
        return format_html(
            "Decision saved: the two people are merged now (the one with more agency records "
            'is kept). You can undo this from <a class="govuk-link" href="{}">their merges and '
            "splits</a>.", reverse("linkage:changes", args=[person.public_id]))
    if outcome.done == review.MERGE_REFUSED:
        return f"Decision saved, but the two people were not merged: {outcome.refusal}"
    if outcome.done == review.SAME_PERSON and outcome.may_change:
        return format_html(
            "Decision saved. Both records are on the same person, so nothing was split: "
            '<a class="govuk-link" href="{}">split the records</a> to separate them now. '
            "The next linkage run will keep them apart.",
            reverse("linkage:split", args=[person.public_id]))
    return TOLD[outcome.done]


TOLD = {
    review.MAY_NOT_MERGE: "Decision saved. You may not change both people, so they were not "
                          "merged now; the next linkage run will join their records.",
    review.ATTACHED: "Decision saved: the record has joined the other record's person now.",
    review.NEW_PERSON: "Decision saved: the record is someone else, and has a person of its "
                       "own now.",
    review.STILL_WAITING: "Decision saved. The record still waits for a decision on another "
                          "pair before it is given a person.",
    review.SAME_PERSON: "Decision saved. Both records are on the same person, so nothing was "
                        "split now: someone who may change that person can split the records. "
                        "The next linkage run will keep them apart.",
    review.ALREADY_ONE: "Decision saved: both records were already on the same person.",
    review.KEPT_APART: "Decision saved: the records stay with different people, and the next "
                       "linkage run will keep them apart.",
    review.NOT_SURE: "Saved as not sure: the pair stays in the queue for someone else.",
}


@access_rule(ROLES, roles=REVIEWERS)
@login_required
@fail_closed
def unmatched(request):
    """Records left without a person, with why, waiting for someone to say who they are. A
    bad value is named in the error summary and left out; the queue still shows."""
    form = UnmatchedFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    data = getattr(form, "cleaned_data", {})
    found = selectors.unmatched_queue(user=request.user, page=data.get("page") or 1,
                                      kind=data.get("kind") or "")
    keep = f"kind={data['kind']}&" if data.get("kind") else ""
    return render(request, "linkage/unmatched.html", {"form": form, "found": found,
                                                      "keep": keep},
                  status=400 if form.errors else 200)


@access_rule(ROLES, roles=REVIEWERS)
@login_required
@fail_closed
def unmatched_decide(request, pk):
    """Say who an unmatched record is: a likely person, one found by name, or someone new."""
    loaded = selectors.unmatched_record(user=request.user, pk=pk)
    if loaded is None:
        raise Http404
    record_row, side = loaded
    search = NameSearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    form = UnmatchedDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not side.visible:
            form.add_error(None, "You may not see this record, so you cannot decide who it is.")
        elif _decide_unmatched(request, form, record_row):
            messages.success(request, "Decision saved: the record has joined that person now."
                             if form.cleaned_data["person"] else "Decision saved: the record "
                             "is someone new, and has a person of its own now.")
            return redirect("linkage:unmatched")
    people, likely = [], []
    if side.visible and not record_row.decision:
        people = people_to_merge_with(user=request.user, person=None, query=query)
        likely = selectors.likely_people(user=request.user, unmatched=record_row)
    return render(request, "linkage/unmatched_decide.html",
                  {"unmatched": record_row, "side": side, "form": form, "search": search,
                   "people": people, "likely": likely, "query": query},
                  status=400 if form.errors or search.errors else 200)


def _decide_unmatched(request, form, record_row) -> bool:
    person = None
    if form.cleaned_data["person"]:
        person = person_to_change(user=request.user, public_id=form.cleaned_data["person"])
        if person is None:
            form.add_error("person", "No person you may change has that reference.")
            return False
    try:
        review.decide_unmatched(actor=request.user, unmatched=record_row, person=person,
                                reason=form.cleaned_data["reason"])
    except review.DecisionRefused as refused:
        form.add_error(refused.field, refused.message)
        return False
    return True


@access_rule(ROLES, roles=TUNERS)
@login_required
def thresholds(request):
    """Per probability band, how often reviewers said match: are the thresholds right?"""
    return render(request, "linkage/thresholds.html", {
        "bands": selectors.threshold_readout(),
        "auto_link": settings.LINKAGE_AUTO_LINK_PROBABILITY,
        "review": settings.LINKAGE_REVIEW_PROBABILITY,
    })
