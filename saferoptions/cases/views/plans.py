"""Plans: open one, change it (with a version), add actions and move them on."""

from django.contrib import messages
from django.shortcuts import redirect, render

from saferoptions.core.queues import page_of, read_query

from .. import services
from ..forms import ActionForm, PlanEditForm, PlanForm, PlanReviewForm
from ..models import Plan, PlanAction, TeamAroundChildMember
from ..selectors.child import open_case_record, open_child
from .child import _contexts
from .common import not_found, personal, refuse, transaction


@personal("GET", "POST")
def new_plan(request, public_id):
    with transaction.atomic():
        child = open_child(request.user, public_id, what="plan", change=True)
    if child is None:
        return not_found(request, str(public_id))
    groups, places = _contexts(request.user)
    form = PlanForm(request.POST or None, groups=groups, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, person=child.person,
                                        **form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, f"{plan.get_kind_display()} started. Add its actions "
                                      "below; the team around the child can see it.")
            return redirect("cases:plan", plan.pk)
    return render(request, "cases/plan_new.html", {"form": form, "person": child.person},
                  status=400 if form.errors else 200)


def _owners(plan):
    members = TeamAroundChildMember.objects.filter(person=plan.person).select_related("user")
    return [plan.worker, *{m.user for m in members}]


def _page(request, plan, child, *, status=200, conflict=None, **forms):
    # A long-running plan gathers more actions and reviews than a page: each list pages on its
    # own, its page in the address under its own name.
    actions = read_query(request.GET, sorts=(("due", "By due date"),), keep=("reviews",),
                         page_param="actions")
    reviews = read_query(request.GET, sorts=(("recent", "Newest first"),), keep=("actions",),
                         page_param="reviews")
    actions_paged = page_of(actions, plan.actions.select_related("owner"), what="actions")
    reviews_paged = page_of(reviews, plan.reviews.order_by("-held_on", "-pk"), what="reviews")
    context = {
        "plan": plan, "person": child.person, "conflict": conflict,
        "editable": child.may_change,
        "form": PlanEditForm(initial={"version": plan.version, "outcomes": plan.outcomes,
                                      "review_on": plan.review_on, "status": plan.status}),
        "action_form": ActionForm(owners=_owners(plan)), "review_form": PlanReviewForm(),
        "reviews": reviews_paged.rows, "reviews_paged": reviews_paged, "reviews_query": reviews,
        "actions": actions_paged.rows, "actions_paged": actions_paged, "actions_query": actions,
    }
    context.update(forms)
    return render(request, "cases/plan.html", context, status=status)


@personal("GET", "POST")
def plan(request, pk):
    change = request.method == "POST"
    with transaction.atomic():
        found = open_case_record(request.user, Plan.objects.all(), pk, what="plan",
                                 change=change)
    if found is None:
        return not_found(request)
    row, child = found
    if not change:
        return _page(request, row, child)
    form = PlanEditForm(request.POST)
    if not form.is_valid():
        return _page(request, row, child, status=400, form=form)
    data = dict(form.cleaned_data)
    try:
        services.update_plan(actor=request.user, plan=row, version=data.pop("version"),
                             values=data)
    except services.PlanConflict as conflict:
        retry = request.POST.copy()
        retry["version"] = conflict.current.version
        return _page(request, conflict.current, child, status=409, conflict=conflict,
                     form=PlanEditForm(retry))
    except services.Refused as error:
        refuse(form, error)
        return _page(request, row, child, status=400, form=form)
    messages.success(request, "Plan saved.")
    return redirect("cases:plan", row.pk)


@personal("POST")
def add_action(request, pk):
    with transaction.atomic():
        found = open_case_record(request.user, Plan.objects.all(), pk, what="plan",
                                 change=True)
    if found is None:
        return not_found(request)
    row, child = found
    form = ActionForm(request.POST, owners=_owners(row))
    if form.is_valid():
        try:
            services.add_plan_action(actor=request.user, plan=row, **form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "Action added.")
            return redirect("cases:plan", row.pk)
    return _page(request, row, child, status=400, action_form=form)


@personal("POST")
def action_status(request, pk):
    queryset = PlanAction.objects.select_related("plan__person")
    with transaction.atomic():
        action = queryset.filter(pk=pk).first() if str(pk).isdigit() else None
        found = open_case_record(request.user, Plan.objects.all(),
                                 action.plan_id if action else "x", what="plan", change=True)
    if found is None:
        return not_found(request)
    try:
        services.update_action_status(actor=request.user, action=action,
                                      status=request.POST.get("status", ""))
    except services.Refused as error:
        messages.error(request, error.message)
    return redirect("cases:plan", action.plan_id)


@personal("POST")
def add_review(request, pk):
    with transaction.atomic():
        found = open_case_record(request.user, Plan.objects.all(), pk, what="plan",
                                 change=True)
    if found is None:
        return not_found(request)
    row, child = found
    form = PlanReviewForm(request.POST)
    if form.is_valid():
        try:
            services.record_plan_review(actor=request.user, plan=row, **form.cleaned_data)
        except services.Refused as error:
            refuse(form, error)
        else:
            messages.success(request, "Review recorded.")
            return redirect("cases:plan", row.pk)
    return _page(request, row, child, status=400, review_form=form)
