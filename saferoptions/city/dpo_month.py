"""The data protection officer's month in the demo (journey 7): something to review.

A city generated to end today holds no break-glass access (nobody asked for one) and no record
near its review date: every record's last contact is this year, and the retention schedule
reviews them years after it. So, as the last step of bringing the demo to life:

- three practitioners opened, in the last three weeks, the record of a child they do not work
  with, through the break-glass service itself (`access.services.request_break_glass`), each
  with their reason, with the clock at that moment; the child's lead professional
  acknowledged the first two (`acknowledge_break_glass`) hours later, or on the day they took
  the child on if that was later (the demo's caseloads start the day it is made); the third
  waits;
- the police's records of a few adults stopped and searched six to seven years ago, and never
  again, arrive through the feeds' own intake with the clock at that time (stored, processed,
  and given a person the way a feed's new record is, `linkage.resolution.resolve_identity`),
  so the retention review finds closed records reaching their review date.

Nothing is hand-made; run again, each part does nothing once it has been done.
"""

import dataclasses
import datetime as dt
import json
import random

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model

from saferoptions.access import services as access
from saferoptions.access.models import BreakGlassGrant
from saferoptions.accounts.demo import is_demo_account
from saferoptions.cases.models import TeamAroundChildMember, TeamRole
from saferoptions.core import clock
from saferoptions.core.models import Agency, Role
from saferoptions.feeds import services as feeds
from saferoptions.feeds.models import InboxMessage
from saferoptions.linkage import review
from saferoptions.linkage.resolution import resolve_identity
from saferoptions.people.models import Identity

from .names import ADULT_NAMES_MALE, SURNAMES

# (days before now, the role that asked, its reason): the practitioners' own words.
BREAK_GLASS = (
    (19.3, Role.POLICE_OFFICER,
     "Custody at 02:10: the child was arrested with older males and no involved worker is on "
     "shift; I need known risks and contacts before the interview."),
    (11.6, Role.HEALTH_PRACTITIONER,
     "Brought to ED overnight with a laceration, will not say how; checking for missing "
     "episodes and any safety plan before we discharge."),
    (3.2, Role.SOCIAL_WORKER,
     "Out-of-hours duty: found in a car at the motorway services with two adults; need to know "
     "whether there is an exploitation plan and who to call."),
)
ACKNOWLEDGED = 2  # the lead professional has acknowledged the first two; the last one waits
ACKNOWLEDGED_AFTER = dt.timedelta(hours=5)
MONTH = dt.timedelta(days=30)
# Last contacts of the old records, (years, months) before now: under the six-year schedule
# for adults of concern, all reach their review date within the review's horizon or before.
OLD_CONTACTS = ((7, 2), (6, 5), (6, 1), (5, 11, 20))
OLD_KEY_PREFIX = "demo-retention-"


@dataclasses.dataclass
class Month:
    """What the DPO's month added to the demo."""

    break_glass: int = 0
    acknowledged: int = 0
    old_records: int = 0

    def describe(self) -> str:
        return (f"The DPO's month: {self.break_glass} break-glass accesses "
                f"({self.acknowledged} acknowledged by the lead professional), "
                f"{self.old_records} old closed records due for review.")


def dpo_month(*, seed: int = 0) -> Month:
    now, done = clock.now(), Month()
    rng = random.Random(f"{seed}:dpo-month")
    _break_glass(rng, now, done)
    _old_records(rng, now, done)
    return done


def _break_glass(rng, now, done: Month) -> None:
    if BreakGlassGrant.objects.filter(granted_at__gte=now - MONTH).exists():
        return
    leads = list(TeamAroundChildMember.objects.filter(
        role=TeamRole.LEAD_PROFESSIONAL, ended_on__isnull=True, user__is_active=True,
        person__merged_into__isnull=True).select_related("person", "user").order_by("pk")[:500])
    rng.shuffle(leads)
    people, askers = set(), set()
    for days, role, reason in BREAK_GLASS:
        found = _pair(leads, role, people, askers)
        if found is None:
            continue
        lead, asker = found
        people.add(lead.person_id)
        askers.add(asker.pk)
        at = now - dt.timedelta(days=days)
        with clock.frozen(at):
            grant = access.request_break_glass(actor=asker, person_reference=str(
                lead.person.public_id), reason=reason)
        if grant is None:
            continue
        done.break_glass += 1
        if done.break_glass <= ACKNOWLEDGED:
            with clock.frozen(_acknowledged_at(lead, at, now)):
                access.acknowledge_break_glass(actor=lead.user, grant=grant)
            done.acknowledged += 1


def _acknowledged_at(lead, at, now) -> dt.datetime:
    """Hours after the access, or once the lead professional took the child on if later
    (the demo's caseloads start the day the demo is made), never after now."""
    began = dt.datetime.combine(lead.started_on, dt.time(9), tzinfo=clock.local(now).tzinfo)
    return min(max(at + ACKNOWLEDGED_AFTER, began), now - dt.timedelta(minutes=10))


def _pair(leads, role, people, used_askers):
    """A child with a lead professional, and someone outside their team around them to open
    it: of `role` if one is free, else anyone whose role may break glass (demo accounts last:
    the people signing in to the demo keep their own worklists)."""
    users = [u for u in get_user_model().objects.filter(is_active=True).order_by("username")
             if access.may_break_glass(u)]
    users.sort(key=lambda u: (u.role != role, u.pk in used_askers, is_demo_account(u.username)))
    for lead in leads:
        if lead.person_id in people:
            continue
        team = set(TeamAroundChildMember.objects.filter(person_id=lead.person_id)
                   .values_list("user_id", flat=True))
        asker = next((u for u in users if u.pk not in team), None)
        if asker is not None:
            return lead, asker
    return None


def _old_records(rng, now, done: Month) -> None:
    police = Agency.objects.filter(slug="police").first()
    if police is None or InboxMessage.objects.filter(
            idempotency_key__startswith=OLD_KEY_PREFIX).exists():
        return
    for n, ago in enumerate(OLD_CONTACTS):
        at = now - relativedelta(years=ago[0], months=ago[1], days=ago[2] if len(ago) > 2 else 0)
        source_id = f"PNC-{clock.local(at):%Y%m%d}-{rng.randint(10000, 99999)}"
        born = clock.local(at).date() - relativedelta(years=rng.randint(27, 41),
                                                      days=rng.randint(0, 364))
        message = {
            "idempotency_key": f"{OLD_KEY_PREFIX}{n}-{source_id}",
            "source_reference": f"SS-{clock.local(at):%Y%m%d-%H%M}-{rng.randint(100, 999)}",
            "occurred_at": clock.local(at).isoformat(timespec="seconds"),
            "grounds": "drugs",
            "summary": "Stopped and searched on information about supply near the flats. "
                       "Nothing found; no further action.",
            "person": {"source_id": source_id, "given_name": rng.choice(ADULT_NAMES_MALE),
                       "family_name": rng.choice(SURNAMES), "sex": "M",
                       "date_of_birth": born.isoformat()},
        }
        with clock.frozen(at):
            receipt = feeds.store_message(agency=police, feed_type="stop_search",
                                          key=message["idempotency_key"],
                                          raw=json.dumps(message).encode())
        with clock.frozen(at + dt.timedelta(seconds=5)):
            feeds.process_message(receipt.message.pk)
        identity = Identity.objects.filter(agency=police, source_id=source_id).first()
        if identity is None:
            continue
        if identity.person_id is None:  # waiting for linkage: a new person, as a feed makes
            with clock.frozen(at + dt.timedelta(seconds=10)):
                identity = resolve_identity(actor=None, identity=identity)
                review.leave_unmatched(identity=identity)
        done.old_records += 1
