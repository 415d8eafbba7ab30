"""Things in the records that belong on a locality meeting's agenda."""

import datetime as dt

from saferoptions.core.models import Team, Ward
from saferoptions.tasks.models import Task, TaskRule
from tests.cases.factories import ConcernFactory
from tests.contexts.factories import ContextCaseFactory, GroupFactory, PlaceFactory
from tests.people.factories import PersonFactory

from .factories import AT

SECRET = "Seen with older men at the bus station"  # free text that must never be copied


def flagged_child(locality, **kwargs):
    child = kwargs.pop("person", None) or PersonFactory(locality=locality)
    kwargs.setdefault("raised_at", AT - dt.timedelta(days=1))
    return ConcernFactory(person=child, locality=locality, source="feed_rule", reason=SECRET,
                          **kwargs)


def accumulated_child(locality):
    return ConcernFactory(person=PersonFactory(locality=locality), locality=locality,
                          source="accumulation", kind="accumulated", reason=SECRET,
                          raised_at=AT - dt.timedelta(days=2))


def group_case(locality):
    return ContextCaseFactory(kind="group", place=None, group=GroupFactory(locality=locality),
                              referral_reason=SECRET)


def place_case(locality):
    place = PlaceFactory(ward=Ward.objects.filter(locality=locality).first())
    return ContextCaseFactory(kind="place", place=place, referral_reason=SECRET)


def overdue_task(locality, person=None, *, late=dt.timedelta(days=5), key=""):
    """A return home interview not done; by default late beyond the agenda's grace (5 days
    before Tuesday 3 March is Thursday 26 February: 3 working days)."""
    person = person or PersonFactory(locality=locality)
    return Task.objects.create(
        rule=TaskRule.objects.get(slug="return-home-interview", version=1), rule_version=1,
        dedupe_key=f"test:{person.pk}{key}", task_type="return_home_interview",
        team=Team.objects.get(slug="early-help-north"), person=person,
        created_at=AT - late - dt.timedelta(days=4), due_at=AT - late)


def place_review(locality, *, raised=dt.timedelta(days=1), due=dt.timedelta(days=6)):
    """An open place review on a place in the locality, raised `raised` before Tuesday."""
    place = PlaceFactory(ward=Ward.objects.filter(locality=locality).first())
    return Task.objects.create(
        rule=TaskRule.objects.get(slug="community-concern-place-review", version=1), rule_version=1,
        dedupe_key=f"test:place:{place.pk}", task_type="place_review",
        team=Team.objects.get(slug="hub"), place=place,
        created_at=AT - raised, due_at=AT - raised + due)
