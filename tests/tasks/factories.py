"""Factories for tasks tests: send a feed message through the real pipeline, make users."""

import json

from saferoptions.feeds import services
from saferoptions.feeds.models import PartnerSystem
from tests.feeds.factories import UserFactory, message, partner  # noqa: F401

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
    """A task straight in the table (for lists of many): the rule's type, the team's inbox."""
    import datetime as dt

    from saferoptions.core import clock
    from saferoptions.core.models import Team
    from saferoptions.tasks.models import Task, TaskRule

    rule = TaskRule.objects.filter(slug=rule_slug).order_by("-version").first()
    now = clock.now()
    make_task.n = getattr(make_task, "n", 0) + 1
    return Task.objects.create(
        rule=rule, rule_version=rule.version, dedupe_key=key or f"test:{make_task.n}",
        task_type=rule.task_type, team=Team.objects.get(slug=team_slug), person=person,
        created_at=now, due_at=now + dt.timedelta(hours=due_in_hours), **fields)


def on_team_around(user, person):
    """Put `user` in the child's team around the child: the policy lets them open the record."""
    from saferoptions.cases.models import TeamAroundChildMember
    from saferoptions.core import clock

    return TeamAroundChildMember.objects.create(person=person, user=user, role="lead_worker",
                                                started_on=clock.today())


def date_parts(name: str, moment) -> dict:
    """The GOV.UK date input's boxes for a date (or a moment, London time)."""
    from django.utils import timezone

    parts = {}
    if hasattr(moment, "hour"):
        moment = timezone.localtime(moment)
        parts = {f"{name}_hour": str(moment.hour), f"{name}_minute": f"{moment.minute:02d}"}
    return {f"{name}_day": str(moment.day), f"{name}_month": str(moment.month),
            f"{name}_year": str(moment.year), **parts}
