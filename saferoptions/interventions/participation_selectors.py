"""Reading participation activities (audited) and their counts for a programme's report.

The list is by locality, as outreach sessions are: a user with a locality sees its activities
and the city-wide ones. Of the children linked to an activity, only those the reader's access
decision lets them see are named; the others are not shown or counted, so a hidden child
leaves no trace. A withdrawn activity stays on the list, marked; the report's counts leave it
out and are totals only, suppressed outside need-to-know.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum

from saferoptions.access import policy
from saferoptions.analytics.suppression import round_count, suppress_count
from saferoptions.audit.services import record
from saferoptions.people.models import Person

from .models import ParticipationActivity, ParticipationChild, Programme
from .vocabulary import Level

PAGE_SIZE = 50


@dataclass
class Listed:
    activity: ParticipationActivity
    children: list  # the linked children this reader may see


def strands():
    return Programme.objects.filter(level=Level.PARTICIPATION).order_by("name")


def _visible(user):
    rows = ParticipationActivity.objects.select_related("programme", "locality", "recorded_by")
    if user.locality_id is None:
        return rows
    return rows.filter(Q(locality_id=user.locality_id) | Q(locality__isnull=True))


def _seen_children(user, activity_ids) -> dict[int, list]:
    links = list(ParticipationChild.objects.filter(activity_id__in=activity_ids)
                 .values_list("activity_id", "person_id"))
    seen = {p.pk: p for p in policy.restrict(
        user, "view", Person.objects.filter(pk__in={pk for _, pk in links}))}
    found: dict[int, list] = {}
    for activity_id, person_id in links:
        if person_id in seen:
            found.setdefault(activity_id, []).append(seen[person_id])
    return found


def activities(*, user, programme_id=None, page=None):
    """The activities the user's locality sees, latest first, paged, with children they see."""
    rows = _visible(user)
    if programme_id:
        rows = rows.filter(programme_id=programme_id)
    found = Paginator(rows.order_by("-held_on", "-pk"), PAGE_SIZE).get_page(page)
    children = _seen_children(user, [a.pk for a in found])
    record(actor=user, action="list", object_type="participation_activity",
           object_ids=[a.pk for a in found])
    shown = sorted({p.pk for people in children.values() for p in people})
    if shown:
        record(actor=user, action="list", object_type="person", object_ids=shown,
               purpose="direct_work", detail={"what": "participation_activities"})
    found.object_list = [Listed(a, children.get(a.pk, [])) for a in found]
    return found


def for_change(*, user, pk) -> Listed | None:
    """One activity the user's locality sees, to correct or withdraw (None: absent or not
    theirs, alike), with the children they may see; the reading is audited."""
    activity = _visible(user).select_related("withdrawn_by").filter(pk=pk).first() \
        if str(pk).isdigit() else None
    if activity is None:
        return None
    children = _seen_children(user, [activity.pk]).get(activity.pk, [])
    record(actor=user, action="view", object_type="participation_activity",
           object_ids=[activity.pk])
    if children:
        record(actor=user, action="list", object_type="person",
               object_ids=[p.pk for p in children], purpose="direct_work",
               detail={"what": "participation_activity"})
    return Listed(activity, children)


def report_counts(programme: Programme, *, suppress: bool,
                  rounded: bool = False) -> dict | None:
    """The strand's totals for its report (None: not a participation strand), rounded to the
    nearest 5 where the report's counts are (outcome_selectors.report_for)."""
    if programme.level != Level.PARTICIPATION:
        return None
    totals = ParticipationActivity.objects.filter(
        programme=programme, withdrawn_at__isnull=True).aggregate(
        activities=Count("pk"), young_people=Sum("young_people"),
        parents_carers=Sum("parents_carers"))
    totals["children_linked"] = ParticipationChild.objects.filter(
        activity__programme=programme, activity__withdrawn_at__isnull=True) \
        .values("person_id").distinct().count()
    threshold = settings.SMALL_NUMBER_THRESHOLD
    if rounded:
        return {name: round_count(value or 0, threshold) for name, value in totals.items()}
    return {name: suppress_count(value or 0, threshold) if suppress else value or 0
            for name, value in totals.items()}
