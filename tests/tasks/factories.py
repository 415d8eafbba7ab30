"""Factories and helpers for tasks tests: tasks straight in the table, or a feed message sent
through the real pipeline (users come from tests.core.factories)."""

import datetime as dt
import json

import factory
from django.utils import timezone

from saferoptions.core import clock
from saferoptions.core.models import Team
from saferoptions.feeds import services
from saferoptions.feeds.models import PartnerSystem
from saferoptions.tasks.models import Task, TaskRule
from tests.cases.factories import TeamMemberFactory
from tests.feeds.factories import message, partner


class TaskFactory(factory.django.DjangoModelFactory):
    """A task straight in the table: the rule's type, in the rule's team's inbox, due by its SLA."""

    class Meta:
        model = Task

    rule = factory.LazyFunction(
        lambda: TaskRule.objects.get(slug="ed-knife-rapid-response", version=1))
    rule_version = factory.LazyAttribute(lambda o: o.rule.version)
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    task_type = factory.LazyAttribute(lambda o: o.rule.task_type)
    team = factory.LazyAttribute(lambda o: Team.objects.get(slug=o.rule.team_slug))
    person = None
    created_at = factory.LazyFunction(clock.now)
    due_at = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(hours=24))


_partners: dict = {}

AGENCY_OF = {"ed_assault": "hospital-ed", "police_incident": "police", "stop_search": "police",
             "missing_episode": "police", "school_incident": "education",
             "community_concern": "community", "housing_report": "housing",
             "licensing_report": "licensing"}


def send(feed: str, **overrides):
    """Deliver one valid message (with overrides) as its agency's system; returns the message."""
    agency = AGENCY_OF[feed]
    system = PartnerSystem.objects.filter(agency__slug=agency).first()
    if system is None:
        # Only the feeds its agency's kind may send (FEEDS_BY_AGENCY_KIND): others are refused.
        system, _ = partner(agency=agency,
                            feeds=tuple(f for f, sender in AGENCY_OF.items() if sender == agency))
    body = message(feed, **overrides)
    receipt = services.receive_json(partner=system, feed_type=feed,
                                    key=body["idempotency_key"], raw=json.dumps(body).encode())
    receipt.message.refresh_from_db()
    return receipt.message


def make_task(team_slug: str, rule_slug: str = "ed-knife-rapid-response", *, key=None,
              due_in_hours: float = 24, person=None, **fields):
    """A task of the rule's newest version in the team's inbox, due `due_in_hours` from now."""
    rule = TaskRule.objects.filter(slug=rule_slug).order_by("-version").first()
    now = clock.now()
    keyed = {"dedupe_key": key} if key else {}
    return TaskFactory(rule=rule, team=Team.objects.get(slug=team_slug), person=person,
                       created_at=now, due_at=now + dt.timedelta(hours=due_in_hours),
                       **keyed, **fields)


def on_team_around(user, person):
    """Put `user` in the child's team around the child: the policy lets them open the record."""
    return TeamMemberFactory(person=person, user=user, role="lead_worker",
                             started_on=clock.today())


def date_parts(name: str, moment) -> dict:
    """The GOV.UK date input's boxes for a date (or a moment, London time)."""
    parts = {}
    if hasattr(moment, "hour"):
        moment = timezone.localtime(moment)
        parts = {f"{name}_hour": str(moment.hour), f"{name}_minute": f"{moment.minute:02d}"}
    return {f"{name}_day": str(moment.day), f"{name}_month": str(moment.month),
            f"{name}_year": str(moment.year), **parts}
