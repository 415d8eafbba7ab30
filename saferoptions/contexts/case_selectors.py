"""Reads of context cases: the list, one case with the children it affects, a child's contexts.

Every read runs with its audit row in one transaction. Children are shown only as the access
policy allows; the rest are counted, and small counts are suppressed.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from saferoptions.access import policy
from saferoptions.analytics.peermaps import group_view
from saferoptions.audit.services import record
from saferoptions.core import clock
from saferoptions.core.queues import Paged, page_of
from saferoptions.events.models import Event
from saferoptions.people import ages
from saferoptions.people import selectors as people_selectors
from saferoptions.people.models import Identity, Person, PersonKind

from . import permissions
from .models import ContextCase, GroupMembership, Place
from .outcomes import Outcomes, outcomes_for, people_of
from .prompts import prompts_for

CASE = "context_case"


def visible_cases(user):
    """The context cases this user may open: the policy decides by role and locality."""
    return policy.restrict(user, "view", ContextCase.objects.all())


def places_to_refer(user):
    """The known places this user may see, for the referral form's picker (the policy answers
    by role: a role that may not see places gets none)."""
    return policy.restrict(user, "view", Place.objects.select_related("ward"))


def case_list(*, user, open_only: bool = True) -> list:
    """Context cases the user may see, newest first."""
    with transaction.atomic():
        cases = visible_cases(user).select_related("place", "group", "school")
        if open_only:
            cases = cases.exclude(status="closed")
        cases = list(cases[:200])
        record(actor=user, action="list", object_type=CASE, object_ids=[c.pk for c in cases])
    return cases


@dataclass(frozen=True)
class Children:
    """The children a context affects, as one viewer may see them."""

    visible: list  # the children: under 18 today
    not_shown: str
    total: str
    adults: list = field(default_factory=list)  # 18 or over today, listed apart


@dataclass(frozen=True)
class CasePage:
    """One context case with its children, plan, reviews, assessments and outcomes."""

    case: ContextCase
    children: Children
    prompts: list
    outcomes: Outcomes
    may_manage: bool
    children_shown: Paged | None = None  # the page of the children asked for, if paged
    adults_shown: Paged | None = None  # the page of the adults asked for, if paged


def children_of(user, case: ContextCase) -> Children:
    """Visible children by name; the rest only as a count, suppressed when small."""
    ids = list(people_of(case))
    if not ids:
        return Children([], "0", "0")
    seen = set(policy.restrict(user, "view", Person.objects.filter(pk__in=ids))
               .values_list("pk", flat=True))
    view = group_view(ids, can_see=seen.__contains__,
                      suppress_below=settings.CONTEXTS_SUPPRESSION_THRESHOLD)
    people = list(people_selectors.in_name_order(
        user=user, people=Person.objects.filter(pk__in=view.visible_members)))
    # Told apart by the date of birth the reader may see: the list a hidden one is in would
    # otherwise tell their age.
    shown = people_selectors.shown_people(user=user, people=people)
    today = clock.today()
    children = [p for p in people if _child_on(shown[p.pk], today)]
    adults = [p for p in people if not _child_on(shown[p.pk], today)]
    return Children(children, view.not_shown, view.size, adults)


def _child_on(person, today) -> bool:
    """Under 18 today by the one age rule (`people.ages`); with no date of birth (or none the
    reader may see), as the person is known. A place's page listed the adults seen there among
    its children."""
    age = ages.age_on(person.date_of_birth, today)
    if age is None:
        return person.kind == PersonKind.CHILD
    return age < ages.ADULT_AGE


def case_page(*, user, pk: int, query=None, adults_query=None) -> CasePage | None:
    """One case the user may see, or None (the common 404), audited either way. `query`: the
    page of its children to show (core.queues); only the children shown are audited."""
    with transaction.atomic():
        case = visible_cases(user).filter(pk=pk).select_related(
            "place", "group", "school", "referred_by").first()
        if case is None:
            record(actor=user, action="deny", object_type=CASE, outcome="denied",
                   detail={"reference": str(pk)})
            return None
        children = children_of(user, case)
        shown = page_of(query, children.visible, what="children") if query else None
        adults = page_of(adults_query, children.adults, what="adults") if adults_query else None
        page = CasePage(case, children, _answered(case), outcomes_for(case),
                        permissions.may_manage(user), shown, adults)
        people = [*(shown.rows if shown else children.visible),
                  *(adults.rows if adults else children.adults)]
        record(actor=user, action="view", object_type=CASE, object_ids=[case.pk],
               detail={"people": [p.pk for p in people],
                       "not_shown": children.not_shown})
    return page


def _answered(case: ContextCase) -> list:
    """The latest assessment's answers against the prompts for this kind."""
    latest = case.assessments.first()
    answers = latest.answers if latest else {}
    return [(key, text, answers.get(key, "")) for key, text in prompts_for(case.kind)]


def case_for_change(*, user, pk: int) -> ContextCase | None:
    """A case the user may change (for a form), or None."""
    if not permissions.may_manage(user):
        return None
    return visible_cases(user).filter(pk=pk).first()


def cases_for_child(user, decision) -> list:
    """Open context cases touching a child, found only through what the viewer may see."""
    if not permissions.may_view_cases(user):
        return []
    person = decision.person
    events = policy.record_rows(decision, Event.objects.filter(place__isnull=False))
    places = set(events.values_list("place_id", flat=True))
    groups = policy.record_rows(decision, GroupMembership.objects.all()).values("group_id")
    schools = policy.record_rows(decision, Identity.objects.filter(person=person))
    school_ids = set(schools.exclude(school__isnull=True).values_list("school_id", flat=True))
    q = Q(place_id__in=places) | Q(group_id__in=groups) | Q(school_id__in=school_ids) | Q(
        school__place_id__in=places)
    cases = visible_cases(user).filter(q).exclude(status="closed")
    return list(cases.select_related("place", "group", "school")
                .prefetch_related("interventions__owner"))
