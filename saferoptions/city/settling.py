"""Settling the past: the demo's teams did the work that fell due, as a partnership would have.

Replaying a fortnight of events makes every task and concern of the fortnight, and nobody
works them: the demo would open on queues where nearly everything is overdue. While the
replay runs, each new task and concern is given a moment when the team dealt with it, and
when the replay's clock reaches that moment the team's member records it through the same
services the pages use: the Hub's triage decision (`cases.services.decide_concern`), a task's
outcome on its type's own form (`tasks.outcomes.record_outcome`, which meets a return home
interview's clock). So the audit rows, outcomes, clocks and counts are the real ones, written
in the order they happened.

Which items are settled, and when (seeded by the city's seed and the item, so the same
city settles the same way every time):
- Work not yet due stays open: a newcomer finds live work waiting.
- Work whose deadline has passed was done, most of it on time (at a moment between its
  arrival and its deadline), about one in seven late (after the deadline, before now)...
- ...but for a few items that slipped and are still open, overdue. Each item's chance is set
  so that overdue work is about a twelfth of the open queue (`OVERDUE_SHARE`), with the
  recently due far likelier than the long overdue: a team is days, not weeks, behind.
- The Hub decides with reasons that fit (never a strategy discussion or a context case, which
  would start work of their own); a triage task is done with its concern's decision; a return
  home interview is held or offered (so its clock is met); each form is filled in as a
  person would and must pass the form's own checks.
"""

import dataclasses
import datetime as dt
import heapq
import math
import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from saferoptions.accounts.demo import is_demo_account
from saferoptions.cases.models import (
    ClockKind,
    Concern,
    ConcernSource,
    StatutoryClock,
    TriageOutcome,
)
from saferoptions.cases.services import decide_concern, record_return_home_interview
from saferoptions.core import clock
from saferoptions.core.models import Locality, Role, Team
from saferoptions.interventions import services as interventions
from saferoptions.interventions.models import Programme, Referral
from saferoptions.tasks.forms import outcome_form_class
from saferoptions.tasks.models import Task, TaskStatus, TaskType
from saferoptions.tasks.outcomes import record_outcome

from . import names, past_meetings

OVERDUE_SHARE = 0.08  # of the open queue, overdue at the end: "a realistic few"
RECENCY_DAYS = 3.0  # how fast the chance of still being open falls with days overdue
LATE_SHARE = 0.15  # of the work done, done after its deadline
DAY = dt.timedelta(days=1)

# The role a team's members have, for the synthetic colleague of a team with no demo account.
TEAM_ROLES = {"hub": Role.HUB_PRACTITIONER, "early-help": Role.EARLY_HELP_WORKER,
              "social-care": Role.SOCIAL_WORKER, "barnardos": Role.LEAD_WORKER,
              "education-inclusion": Role.EDUCATION_INCLUSION_MANAGER,
              "police": Role.POLICE_OFFICER, "hospital-ed": Role.HEALTH_PRACTITIONER}


@dataclasses.dataclass
class Settled:
    """What the teams did, and what they left open."""

    tasks: Counter = dataclasses.field(default_factory=Counter)
    concerns: Counter = dataclasses.field(default_factory=Counter)
    clocks_met: int = 0
    referrals: int = 0  # the Hub's referrals to a programme (mentoring)
    meeting_actions: int = 0  # agreed at the recent locality meetings (past_meetings.py)

    def describe(self, now: dt.datetime) -> str:
        state = open_work(now)
        return (f"Settled the past: {sum(self.tasks.values()):,} tasks done with an outcome, "
                f"{sum(self.concerns.values()):,} concerns decided, {self.clocks_met:,} "
                f"interview clocks met, {self.referrals:,} referrals to mentoring; "
                f"left open: {state['tasks']:,} tasks "
                f"({state['tasks_overdue']:,} overdue), {state['concerns']:,} concerns "
                f"({state['concerns_overdue']:,} overdue)")


def open_work(now: dt.datetime) -> dict[str, int]:
    """Open tasks and undecided concerns, and how many of each are past their deadline."""
    tasks = Task.objects.filter(status=TaskStatus.OPEN)
    concerns = Concern.objects.filter(outcome="", withdrawn_at__isnull=True)
    return {"tasks": tasks.count(), "tasks_overdue": tasks.filter(due_at__lt=now).count(),
            "concerns": concerns.count(),
            "concerns_overdue": concerns.filter(due_at__lt=now).count()}


class Settler:
    """Follows the replay: plans each new item's settling, and does it when its time comes."""

    def __init__(self, *, now: dt.datetime, days: int, seed: int):
        self.now, self.window, self.seed = now, dt.timedelta(days=days), seed
        self.seen_task = Task.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.seen_concern = (Concern.objects.order_by("-pk").values_list("pk", flat=True)
                             .first() or 0)
        self.plans: list[tuple[dt.datetime, str, int]] = []
        self.numbers: dict[tuple[str, int], int] = {}
        self.members = Colleagues(seed)
        self.done = Settled()

    def notice(self) -> None:
        """Plan the tasks and concerns the replay has made since the last look."""
        concerns = list(Concern.objects.filter(pk__gt=self.seen_concern).order_by("pk"))
        tasks = list(Task.objects.filter(pk__gt=self.seen_task).order_by("pk"))
        for concern in concerns:
            self.seen_concern = concern.pk
            self._plan("concern", concern.pk, concern.raised_at, concern.due_at)
        for task in tasks:
            self.seen_task = task.pk
            if not _decided_with_its_concern(task):
                self._plan("task", task.pk, task.created_at, task.due_at)

    def _nth(self, kind: str, pk: int) -> int:
        """The item's place in the order the replay made it: what seeds its choices, not its
        pk, which on PostgreSQL depends on what else the database held before (sequences are
        not rolled back), so the same city settled differently from one run to the next."""
        return self.numbers.setdefault((kind, pk), len(self.numbers))

    def _plan(self, kind: str, pk: int, arrived: dt.datetime, due: dt.datetime) -> None:
        rng = random.Random(f"{self.seed}:{kind}:{self._nth(kind, pk)}")
        at = settling_time(rng, arrived, due, self.now, self.window)
        if at is not None:
            heapq.heappush(self.plans, (at, kind, pk))

    def plan_meeting(self, at: dt.datetime, locality_pk: int) -> None:
        """A recent locality meeting is held when the replay's clock reaches it."""
        if at < self.now:
            heapq.heappush(self.plans, (at, "meeting", locality_pk))

    def settle_until(self, moment: dt.datetime) -> None:
        """Do what was planned up to `moment`, each at its own time."""
        while self.plans and self.plans[0][0] <= moment:
            at, kind, pk = heapq.heappop(self.plans)
            with clock.frozen(at):
                if kind == "concern":
                    self._decide(Concern.objects.get(pk=pk), at)
                elif kind == "referral":
                    self._provide(Referral.objects.select_related("team").get(pk=pk), at)
                elif kind == "meeting":
                    self._hold_meeting(Locality.objects.get(pk=pk), at)
                else:
                    self._complete(Task.objects.select_related("team").get(pk=pk), at)

    def _hold_meeting(self, locality: Locality, at: dt.datetime) -> None:
        self.done.meeting_actions += past_meetings.hold(
            locality, day=clock.local(at).date(), seed=self.seed)
        self.notice()  # the actions' tasks are the teams' work like any other

    def _decide(self, concern: Concern, at: dt.datetime) -> None:
        if not concern.is_open:
            return
        rng = random.Random(f"{self.seed}:decision:{self._nth('concern', concern.pk)}")
        outcome, reasons = triage_decision(rng, concern)
        hub = self.members.of(Team.objects.get(slug="hub"))
        decide_concern(actor=hub, concern=concern, outcome=outcome, reasons=reasons)
        self.done.concerns[outcome] += 1
        if outcome == TriageOutcome.INTERVENTION_REFERRAL and concern.person_id:
            referral = refer_for_mentoring(rng, hub, concern)
            if referral is not None:
                self.done.referrals += 1
                self._follow(referral, at)
        if concern.source == ConcernSource.FEED_RULE and concern.event_id:
            for task in _triage_tasks(concern):
                self._complete(task, at, decision=TriageOutcome(outcome).label)

    def _follow(self, referral: Referral, at: dt.datetime) -> None:
        """The provider's next step, a few days on: accept a place given, then start."""
        if referral.holds_place:
            rng = random.Random(
                f"{self.seed}:provider:{self._nth('referral', referral.pk)}:{referral.status}")
            heapq.heappush(self.plans, (at + rng.uniform(1, 4) * DAY, "referral", referral.pk))

    def _provide(self, referral: Referral, at: dt.datetime) -> None:
        actor = self.members.of(referral.team)
        with transaction.atomic():
            if referral.status == "sent":
                referral = interventions.accept(actor=actor, referral=referral)
            elif referral.status == "accepted":
                referral = interventions.start(actor=actor, referral=referral,
                                               started_on=clock.local(at).date())
            else:
                return
        self._follow(referral, at)

    def _complete(self, task: Task, at: dt.datetime, decision: str = "") -> None:
        if task.status != TaskStatus.OPEN:
            return
        actor = self.members.of(task.team)
        rng = random.Random(f"{self.seed}:outcome:{self._nth('task', task.pk)}")
        form = outcome_form(task, filled_in(rng, task, at, actor, decision))
        if not form.is_valid():  # the synthetic answers must pass the form a person would fill
            raise ValueError(f"Synthetic outcome for task {task.pk} refused: {form.errors}")
        record_outcome(actor=actor, task=task, outcome=form.cleaned_data["outcome"],
                       happened_at=form.happened_at(), answers=form.answers())
        self.done.tasks[task.task_type] += 1
        if task.task_type == TaskType.RETURN_HOME_INTERVIEW:
            self.done.clocks_met += self._meet_interview_clocks(task, actor, form)

    def _meet_interview_clocks(self, task: Task, actor, form) -> int:
        """The child's interview clock is met with the task. A task that names no child (made
        before the child was matched) cannot meet it itself: the worker records the interview
        on the child's clock too, as the child's page does. A child's own task meets only that
        child's clock: children missing together are each interviewed."""
        clocks = StatutoryClock.objects.filter(kind=ClockKind.RETURN_HOME_INTERVIEW,
                                               key__startswith=f"rhi:event:{task.event_id}:")
        if task.person_id:
            clocks = clocks.filter(key=f"rhi:event:{task.event_id}:{task.person_id}")
        waiting = list(clocks.filter(met_at__isnull=True)) if task.event_id else []
        for row in waiting:
            late = form.cleaned_data["late_reason"] or (
                "Recorded late on the child's clock." if form.happened_at() > row.due_at else "")
            record_return_home_interview(actor=actor, clock_row=row,
                                         held_at=form.happened_at(), late_reason=late)
        return clocks.filter(met_at__isnull=False).count() if task.event_id else 0


def _triage_tasks(concern: Concern) -> list[Task]:
    """The Hub's triage tasks that raised the concern: one duty, decided together."""
    return list(Task.objects.select_related("team").filter(
        task_type=TaskType.HUB_TRIAGE, event_id=concern.event_id, person_id=concern.person_id,
        status=TaskStatus.OPEN))


def _decided_with_its_concern(task: Task) -> bool:
    """A Hub triage task whose concern is waiting is settled (or left open) with it."""
    if task.task_type != TaskType.HUB_TRIAGE or not (task.event_id and task.person_id):
        return False
    return Concern.objects.filter(source=ConcernSource.FEED_RULE, event_id=task.event_id,
                                  person_id=task.person_id, outcome="").exists()


def settling_time(rng: random.Random, arrived: dt.datetime, due: dt.datetime,
                  now: dt.datetime, window: dt.timedelta) -> dt.datetime | None:
    """When the team dealt with the item, or None if it is still open now."""
    if due >= now:
        return None  # not yet due: live work for the demo
    if rng.random() < still_open_chance(due - arrived, now - due, window):
        return None  # slipped: one of the few overdue
    allowed = max(due - arrived, dt.timedelta(minutes=10))
    if rng.random() < LATE_SHARE:
        late = min(dt.timedelta(hours=rng.uniform(1, 48)), (now - due) * rng.uniform(0.2, 0.9))
        return due + late
    return arrived + allowed * rng.uniform(0.3, 0.98)


def still_open_chance(allowed: dt.timedelta, overdue: dt.timedelta,
                      window: dt.timedelta) -> float:
    """The chance an item `overdue` past its deadline is still open.

    With arrivals spread over the window, an item allowed `allowed` is not yet due with odds
    allowed : (window - allowed); the expected overdue count is then OVERDUE_SHARE of the open
    queue, spread over the days overdue with weight exp(-days / RECENCY_DAYS).
    """
    span = max((window - allowed) / DAY, 1.0)
    weight = math.exp(-(overdue / DAY) / RECENCY_DAYS)
    mean = RECENCY_DAYS / span * (1 - math.exp(-span / RECENCY_DAYS))
    odds = OVERDUE_SHARE / (1 - OVERDUE_SHARE)
    return min(1.0, odds * (allowed / DAY) / span * weight / mean)


class Colleagues:
    """Who in each team did the work: the team's demo account, else a synthetic colleague.

    A synthetic colleague cannot sign in (inactive, no password): they stand for the team's
    members in the past, so the outcomes they recorded have a name.
    """

    def __init__(self, seed: int):
        self.seed, self.found = seed, {}

    def of(self, team: Team):
        if team.pk not in self.found:
            self.found[team.pk] = self._demo_account(team) or self._synthetic(team)
        return self.found[team.pk]

    def _demo_account(self, team: Team):
        users = get_user_model().objects.filter(team=team, is_active=True,
                                                username__startswith="demo-")
        role = _role_of(team)
        ranked = sorted(users, key=lambda u: (u.role != role, u.username))
        return next((u for u in ranked if is_demo_account(u.username)), None)

    def _synthetic(self, team: Team):
        rng = random.Random(f"{self.seed}:colleague:{team.slug}")
        first = rng.choice(names.ADULT_NAMES_FEMALE + names.ADULT_NAMES_MALE)
        user, made = get_user_model().objects.get_or_create(
            username=f"city-{team.slug}"[:150], defaults={
                "first_name": first, "last_name": rng.choice(names.SURNAMES),
                "role": _role_of(team), "agency_id": team.agency_id, "team": team,
                "locality_id": team.locality_id, "is_active": False})
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user


def _role_of(team: Team) -> str:
    return next((role for prefix, role in TEAM_ROLES.items() if team.slug.startswith(prefix)),
                "")


# --- the Hub's decisions ------------------------------------------------------------------

DECISIONS = [  # (outcome, weight, reasons): "{kind}" is what the concern is about
    (TriageOutcome.NO_FURTHER_ACTION, 22,
     "Checked what partners know. {kind}: a one-off, with a protective family around the "
     "child and no signs of harm outside the home. No further action; partners will refer "
     "again if it happens again."),
    (TriageOutcome.INFORMATION_AND_ADVICE, 24,
     "{kind}. Advice given to the parent and the school's safeguarding lead about the signs "
     "to watch for and who to call; no pattern of harm yet."),
    (TriageOutcome.EARLY_HELP, 26,
     "{kind}, with needs at home and falling attendance. The family agreed to early help: "
     "passed to the locality's Families in Focus team."),
    (TriageOutcome.INTERVENTION_REFERRAL, 16,
     "{kind}. The child is known to the locality and fits a programme in the catalogue: "
     "referred for mentoring, with the lead professional told."),
    (TriageOutcome.SOCIAL_CARE_REFERRAL, 12,
     "{kind}, alongside older associates and earlier incidents: reasonable cause to suspect "
     "significant harm. Referred to children's social care."),
]


def triage_decision(rng: random.Random, concern: Concern) -> tuple[str, str]:
    """A plausible decision and its reasons (never a strategy discussion or a context case:
    each would start work of its own that the demo's past does not have)."""
    outcome, _, reasons = rng.choices(DECISIONS, weights=[w for _, w, _ in DECISIONS])[0]
    return outcome.value, reasons.format(kind=concern.get_kind_display())


NEEDS = {"sexual_exploitation": "sexual_exploitation", "missing": "missing"}


def refer_for_mentoring(rng: random.Random, hub, concern: Concern) -> Referral | None:
    """The referral the Hub's decision names, made as the Hub practitioner would on "find
    support": the risk level and need judged at triage recorded, then a referral to community
    mentoring through the referral service (eligibility, consent, a place this month or the
    waiting list). None where the child does not fit the programme (the decision stands)."""
    programme = Programme.objects.filter(name="Community mentoring", is_active=True).first()
    providers = list(programme.providers.order_by("team__name")) if programme else []
    if not providers:
        return None
    need = NEEDS.get(concern.kind, "criminal_exploitation")
    try:
        with transaction.atomic():
            interventions.record_risk_judgement(
                actor=hub, person=concern.person, level=rng.choice(["medium", "high"]),
                needs=[need, "criminal_exploitation"] if need == "missing" else [need])
            return interventions.refer(
                actor=hub, person=concern.person, programme=programme,
                team_id=rng.choice(providers).team_id, route_in="direct",
                reason=f"{concern.get_kind_display()}: decided at the Hub's triage. A mentor "
                        "from the community, to build a trusted relationship away from the "
                        "older associates.",
                young_person_consent="given", parent_consent="given")
    except interventions.Refused:  # not eligible (age, need) or already referred
        return None


# --- a task's outcome, on its type's form ---------------------------------------------------

def outcome_form(task: Task, data: dict):
    return outcome_form_class(task.task_type)(data=data, task=task)


def _moment(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def _day(at: dt.datetime) -> str:
    return timezone.localtime(at).date().isoformat()


def filled_in(rng: random.Random, task: Task, at: dt.datetime, actor, decision: str) -> dict:
    """What the team member wrote on the task's form, as the page would post it."""
    fill = {TaskType.HOSPITAL_RAPID_RESPONSE: _rapid_response,
            TaskType.RISK_ASSESSMENT: _risk_assessment,
            TaskType.RETURN_HOME_INTERVIEW: _return_home_interview,
            TaskType.PLACE_REVIEW: _place_review,
            TaskType.LOCALITY_MEETING_ACTION: _meeting_action}.get(task.task_type)
    if fill is not None:
        return fill(rng, task, at, actor)
    what = (f"Triaged at the Hub: {decision}." if decision else
            rng.choice(["Looked into it with the partners involved and agreed next steps.",
                        "Visited the place with the neighbourhood team and spoke to the "
                        "manager; actions agreed.", "Checked the records and spoke to the "
                        "family's lead professional."]))
    outcome = "done" if decision else rng.choices(
        ["done", "no_further_action", "passed_on"], weights=[75, 18, 7])[0]
    return {"what_was_done": what, "happened_on": _day(at), "outcome": outcome}


def _place_review(rng, task, at, actor) -> dict:
    outcome = rng.choices(["actions_agreed", "monitor", "no_concern", "passed_on"],
                          weights=[60, 25, 10, 5])[0]
    actions = (rng.sample(["outreach", "licensing", "disruption", "guardians", "environment",
                           "safety_plans"], 2) if outcome == "actions_agreed" else ["none"])
    return {"reviewed_on": _day(at), "outcome": outcome,
            "found": rng.choice([
                "Young people gather here after school; older men seen handing out vapes.",
                "Reports of children travelling here late at night; staff worried.",
                "Quiet on the visits; the concern came from one night's incident."]),
            "actions": actions,
            "action_details": "Agreed at the Hub with the partners named." if
            outcome == "actions_agreed" else "",
            "to_locality_meeting": "yes" if outcome == "actions_agreed" else "no"}


def _meeting_action(rng, task, at, actor) -> dict:
    outcome = rng.choices(["done", "partly_done", "not_done"], weights=[75, 18, 7])[0]
    return {"what_was_done": rng.choice([
                "Done as the meeting agreed; partners told at the Hub.",
                "Visited with the school's safeguarding lead; the plan is shared.",
                "Spoke to the lead professional and the family; update for the next meeting."]),
            "happened_on": _day(at), "outcome": outcome}


def _rapid_response(rng, task, at, actor) -> dict:
    outcome = rng.choices(["engaged", "declined", "not_reached", "referred_on"],
                          weights=[55, 20, 12, 13])[0]
    first = max(task.created_at, at - dt.timedelta(hours=rng.uniform(0, 6)))
    reached = outcome != "not_reached" and not (outcome == "declined" and rng.random() < 0.3)
    offered = ["none"] if outcome == "not_reached" else rng.sample(
        ["mentoring", "youth_work", "emotional", "education", "family", "safety_plan"], 2)
    return {"contact_attempted_at": _moment(first), "contact_made": "yes" if reached else "no",
            "contact_made_at": _moment(at) if reached else "",
            "contact_how": rng.choice(["in_person", "phone", "parent"]),
            "support_offered": offered,
            "support_accepted": {"engaged": "yes", "referred_on": "some"}.get(outcome, "no"),
            "consent": {"engaged": "young_person", "referred_on": "parent",
                        "declined": "refused"}.get(outcome, "not_asked"),
            "referred_to": ["camhs"] if outcome == "referred_on" else ["none"],
            "referral_details": "Referred to CAMHS for support after the assault."
            if outcome == "referred_on" else "",
            "what_was_done": "Saw the young person after the ED attendance." if reached
            else "Tried the hospital ward, the phone number given and the parent.",
            "outcome": outcome}


def _risk_assessment(rng, task, at, actor) -> dict:
    outcome = rng.choices(["not_excluded", "suspended", "managed_move",
                           "alternative_provision", "permanently_excluded"],
                          weights=[58, 27, 7, 5, 3])[0]
    programme = Programme.objects.filter(is_active=True).order_by("pk").first()
    instead = outcome == "not_excluded" and programme is not None and rng.random() < 0.6
    return {"assessed_on": _day(at), "outcome": outcome,
            "risk_factors": rng.sample(["weapon", "drugs_own_use", "peer_group",
                                        "police_contact", "disengaged", "home"], 2),
            "risk_level": rng.choices(["low", "medium", "high"], weights=[35, 45, 20])[0],
            "what_was_weighed": "The incident, the child's account, attendance and what the "
                                "family and the Hub know.",
            "programme_instead": "yes" if instead else "no",
            "programme": str(programme.pk) if instead else ""}


def _return_home_interview(rng, task, at, actor) -> dict:
    # Held or offered, so the interview clock is met: "could not reach" would leave the
    # child's duty open, which the past the demo shows does not have.
    held = rng.random() < 0.8
    late = at > task.due_at
    return {"held_at": _moment(at), "held_by": f"{actor.get_full_name()}, {actor.team.name}",
            "outcome": "held" if held else "declined",
            "child_words": rng.choice([
                "I went to my mate's because of the arguing at home. I was fine.",
                "Some older lads said I could stay at theirs. They gave me money for food.",
                "I just needed to get away from everything for a bit."]) if held else "",
            "push_factors": rng.sample(["home_conflict", "school", "bullying"], 1)
            if held else [],
            "pull_factors": rng.sample(["friends", "older_people", "place"], 1) if held else [],
            "exploitation_indicators": ["none"] if rng.random() < 0.6 else ["older_associates"],
            "shared_with": ["social_worker", "hub"] if held else ["hub"],
            "late_reason": "The child was not at home until the next evening; the first "
                           "visit was missed." if late else ""}
