"""Context work in the demo (journeys 3 and 4): place and peer-group cases to open.

A city generated to end today holds no context case: nobody has referred one. So, as a last
step of bringing the demo to life, the partnership's context work of the last seven weeks is
done through the contexts app's own services (`contexts.services`, `services_analysis`), each
checked and audited like a real change, with the clock at the moment it was done:

- the demo's police officer refers the busiest place of each locality (the most knife and
  exploitation events), and the next busiest to make four; the Hub practitioner (the locality
  chair, in the chair's own locality) assesses three, plans what will be done, moves some
  actions on, reviews two and closes one; the newest referral waits for its assessment;
- the demo's analyst finds the suggested peer groups and confirms the two largest, which
  opens their group cases; the Hub practitioner assesses the first and plans for it.

Nothing is hand-made; run again, it does nothing once a context case exists. Without the demo
accounts (`create_demo_accounts`) there is nobody to do the work, and nothing is done.
"""

import dataclasses
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from saferoptions.accounts.demo import is_demo_account, username_for
from saferoptions.contexts import services as contexts
from saferoptions.contexts import services_analysis as analysis
from saferoptions.contexts.models import (
    ClosureReason,
    ContextCase,
    ContextKind,
    InterventionKind,
    InterventionStatus,
    Place,
)
from saferoptions.core import clock
from saferoptions.core.models import Role
from saferoptions.events.models import EventCategory

HARM = (Q(events__category__in=[EventCategory.KNIFE, EventCategory.EXPLOITATION,
                                 EventCategory.SEXUAL_EXPLOITATION])
        | Q(events__knife_among_objects=True))
GROUPS = 2
ROLES = (Role.POLICE_OFFICER, Role.HUB_PRACTITIONER, Role.LOCALITY_CHAIR, Role.ANALYST,
         Role.LEAD_WORKER, Role.LICENSING_OFFICER)
# What each stage of a place case looks like: (days ago referred, assessed?, actions planned,
# actions moved on (index, status), reviewed?, closed?). The newest referral waits. The
# closed case comes last, at a locality's second place, so every locality has an open one.
STAGES = (
    (45, True, 3, ((0, InterventionStatus.DONE), (1, InterventionStatus.IN_PROGRESS)), True,
     False),
    (24, True, 2, ((0, InterventionStatus.IN_PROGRESS),), False, False),
    (4, False, 0, (), False, False),
    (38, True, 3, ((0, InterventionStatus.DONE), (1, InterventionStatus.DONE),
                   (2, InterventionStatus.DONE)), True, True),
)
PLACE_ANSWERS = {
    "who_and_when": "Groups of teenagers after school and from about 9pm on Fridays and "
                    "Saturdays; older males in cars come and go.",
    "guardianship": "Staff change often and do not know who to call; residents have stopped "
                    "reporting.",
    "design_and_lighting": "Two unlit paths and a blind corner by the bins; the CCTV camera "
                           "faces the road.",
    "activity": "Children are sent on errands and given food or vapes; knives were found "
                "hidden in the bushes twice.",
}
GROUP_ANSWERS = {
    "dynamics": "They meet after school and travel together; two older members decide where "
                "they go.",
    "harmful_members": "An older member (not a child of this partnership) recruits younger "
                       "ones for deliveries.",
    "protective_members": "One member's older sister collects them and talks to the youth "
                          "workers.",
    "draw": "Belonging and money; some say they are safer together after being robbed.",
}
# (kind, what will be done, who owns it, due in days from the day it was planned)
PLAN = (
    (InterventionKind.DETACHED_YOUTH_WORK, "Detached youth workers there on Friday and "
     "Saturday evenings for eight weeks.", Role.LEAD_WORKER, 56),
    (InterventionKind.ENVIRONMENTAL_CHANGE, "Ask the council to light the paths and move the "
     "camera to face them.", Role.HUB_PRACTITIONER, 42),
    (InterventionKind.LICENSING_ACTION, "Licensing visit to the shops and takeaway nearby; "
     "remind staff who to call.", Role.LICENSING_OFFICER, 21),
)
GROUP_PLAN = (
    (InterventionKind.DISRUPTION, "Police to disrupt the older member's contact with the "
     "group (a warning notice).", Role.POLICE_OFFICER, 28),
    (InterventionKind.DETACHED_YOUTH_WORK, "Youth workers meet the group where it gathers "
     "after school.", Role.LEAD_WORKER, 42),
)


@dataclasses.dataclass
class ContextWork:
    """What the demo's context work added."""

    place_cases: int = 0
    group_cases: int = 0
    assessed: int = 0
    actions: int = 0
    closed: int = 0

    def describe(self) -> str:
        return (f"Contexts: {self.place_cases} place and {self.group_cases} group cases "
                f"({self.assessed} assessed, {self.actions} actions planned, "
                f"{self.closed} closed).")


def context_work(*, seed: int = 0) -> ContextWork:
    """Do the partnership's recent context work once, as the demo's accounts."""
    done = ContextWork()
    users = _demo_users()
    if users is None or ContextCase.objects.exists():
        return done
    rng = random.Random(f"{seed}:contexts")
    now = clock.now()
    for stage, place in zip(STAGES, _busiest_places(), strict=False):
        _place_case(rng, users, place, stage, now, done)
    _group_cases(rng, users, now, done)
    return done


def _demo_users() -> dict | None:
    found = {u.username: u for u in get_user_model().objects.filter(
        username__in=[username_for(r) for r in ROLES], is_active=True)}
    users = {r: found.get(username_for(r)) for r in ROLES}
    if any(u is None or not is_demo_account(u.username) for u in users.values()):
        return None
    return users


def _busiest_places() -> list[Place]:
    """Each locality's place with the most knife and exploitation events, busiest first; in a
    city of fewer localities than stages, the next busiest places make up the rest."""
    ranked = list(Place.objects.filter(ward__isnull=False)
                  .annotate(harm=Count("events", filter=HARM)).filter(harm__gt=0)
                  .select_related("ward").order_by("-harm", "pk"))
    chosen = {}
    for place in ranked:
        chosen.setdefault(place.ward.locality_id, place)
    firsts = list(chosen.values())
    return (firsts + [p for p in ranked if p not in firsts])[:len(STAGES)]


def _at(now, days: float, rng) -> dt.datetime:
    """`days` ago, at some working hour of that day, never after now."""
    day = clock.local(now - dt.timedelta(days=days))
    at = day.replace(hour=rng.randint(9, 16), minute=rng.choice((5, 20, 35, 50)))
    return min(at, now - dt.timedelta(minutes=10))


def _place_case(rng, users, place, stage, now, done) -> None:
    days, assessed, planned, moved, reviewed, closing = stage
    manager = users[Role.LOCALITY_CHAIR] if (
        place.ward.locality_id == users[Role.LOCALITY_CHAIR].locality_id) else (
        users[Role.HUB_PRACTITIONER])
    with clock.frozen(_at(now, days, rng)):
        case = contexts.refer(
            actor=users[Role.POLICE_OFFICER], kind=ContextKind.PLACE, place=place,
            seen_on=clock.today() - dt.timedelta(days=rng.randint(1, 4)),
            reason=f"Repeated knife finds and children seen with older males at {place.name}; "
                   "officers think children are being drawn in there.")
    done.place_cases += 1
    if assessed:
        _work(rng, users, manager, case, now, days, PLACE_ANSWERS, PLAN[:planned], done)
    for index, status in moved:
        _change(now, days - 14 - index, rng, contexts.set_intervention_status, actor=manager,
                case=case, intervention_id=_actions(case)[index], status=status)
    if reviewed:
        _change(now, days - 21, rng, contexts.review, actor=manager, case=case,
                summary="Fewer calls since the youth workers started; the lighting is not yet "
                        "done.", next_review_on=clock.today() + dt.timedelta(days=28))
    if closing:
        _change(now, 3, rng, contexts.close, actor=manager, case=case,
                reason=ClosureReason.HARM_REDUCED,
                note="No knife finds for six weeks; the shops call the Hub now.")
        done.closed += 1


def _work(rng, users, manager, case, now, days, answers, plan, done) -> None:
    """Assess the case a week after it opened, then plan its actions two days later."""
    _change(now, days - 7, rng, contexts.assess, actor=manager, case=case, answers=answers,
            summary="A context where children are drawn into harm; a plan is needed.")
    done.assessed += 1
    for kind, description, owner, due_in in plan:
        _change(now, days - 9, rng, contexts.plan_intervention, actor=manager, case=case,
                kind=kind, description=description, owner=users[owner],
                due_on=clock.local(now - dt.timedelta(days=days - 9 - due_in)).date())
        done.actions += 1


def _change(now, days, rng, service, *, actor, case, **fields):
    """One change through its service, at that moment, against the case's latest version."""
    with clock.frozen(_at(now, max(days, 0.01), rng)):
        version = ContextCase.objects.values_list("version", flat=True).get(pk=case.pk)
        return service(actor=actor, case_id=case.pk, version=version, **fields)


def _actions(case) -> list[int]:
    return list(case.interventions.order_by("pk").values_list("pk", flat=True))


def _group_cases(rng, users, now, done) -> None:
    """The analyst finds the peer groups and confirms the largest; the first is assessed."""
    with clock.frozen(_at(now, 30, rng)):
        found = analysis.suggest_groups(actor=users[Role.ANALYST])
        largest = sorted(found, key=lambda g: (-len(g.members), g.number))[:GROUPS]
        for n, suggestion in enumerate(largest, 1):
            group = analysis.confirm_group(
                actor=users[Role.ANALYST], suggestion_id=suggestion.pk,
                # Members are whoever the network found, adults of concern among children.
                name=f"Peer group {n}: {len(suggestion.members)} people seen together",
                description="Found in the records: children, and others, often involved in "
                            "the same events.",
                reason="Found together in knife and exploitation events across agencies.")
            done.group_cases += 1
            if n == 1:
                case = group.cases.get()
                _work(rng, users, users[Role.HUB_PRACTITIONER], case, now, 30, GROUP_ANSWERS,
                      GROUP_PLAN, done)
