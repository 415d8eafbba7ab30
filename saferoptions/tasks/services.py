"""Every write to tasks: made by rules from events, escalated by the clock, completed by people."""

import datetime as dt
import time

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from saferoptions.audit.services import record
from saferoptions.cases import timescales
from saferoptions.cases.models import ConcernKind, ConcernSource
from saferoptions.cases.services import Refused, raise_concern
from saferoptions.core import calendar, clock
from saferoptions.core.models import Team, User
from saferoptions.events.models import Event, Involvement, InvolvementRole
from saferoptions.people.ages import ADULT_AGE, adult_then, age_on, age_then, day_of
from saferoptions.people.models import Person, PersonKind

from .models import (
    Escalation,
    Notification,
    NotificationKind,
    OutcomeState,
    RuleScope,
    Task,
    TaskRule,
    TaskStatus,
    TaskType,
)
from .outcomes import take_if_unowned
from .rules import holds

# Referred to by name so a model that renames its manager cannot break it.
EVENTS = Event.objects


_cache: dict = {"rules": None, "teams": None, "at": 0.0}


def _reference():
    """Rules and teams, re-read every few seconds: they change rarely, events come often."""
    if time.monotonic() - _cache["at"] > settings.TASKS_REFERENCE_CACHE_SECONDS:
        _cache["rules"] = list(TaskRule.objects.filter(is_active=True).order_by("slug", "-version"))
        _cache["teams"] = {t.slug: t for t in Team.objects.all()}
        _cache["members"] = {}
        _cache["at"] = time.monotonic()
    return _cache["rules"], _cache["teams"]


def current_rules(event_type: str) -> list[TaskRule]:
    """The newest active version of each rule that listens to this event type."""
    newest: dict[str, TaskRule] = {}
    for rule in _reference()[0]:
        if rule.slug not in newest:
            newest[rule.slug] = rule
    return [r for r in newest.values() if event_type in r.event_types]


def event_facts(event: Event, facts: dict, people: list[dict], object_kinds=None) -> dict:
    """What rules may test about an event."""
    ages = [age_on(p.get("date_of_birth"), day_of(event.occurred_at)) for p in people]
    ages = [a for a in ages if a is not None]
    return {
        "event_type": event.event_type,
        "category": event.category,
        "object_kinds": (object_kinds if object_kinds is not None
                         else list(event.pole_objects.values_list("kind", flat=True))),
        "age": facts.get("age") if facts.get("age") is not None else min(ages, default=None),
        "has_place": event.place_id is not None,
        "returned": event.ended_at is not None,
        **{k: v for k, v in facts.items() if k != "age"},
    }


# Event rules whose task is one child's own duty: each person the event records in one of these
# roles gets their own task, named for them and on their own clock (children missing together
# each get a return home interview). Nobody in another role (a reporter, a suspect, an
# associate, a witness) is ever named on one. A place review is the place's, not split.
FOR_EACH_CHILD = {
    TaskType.RETURN_HOME_INTERVIEW: frozenset({InvolvementRole.MISSING_PERSON}),
    TaskType.HOSPITAL_RAPID_RESPONSE: frozenset({
        InvolvementRole.PATIENT, InvolvementRole.VICTIM, InvolvementRole.SUBJECT}),
    TaskType.RISK_ASSESSMENT: frozenset({
        InvolvementRole.PUPIL, InvolvementRole.SUBJECT, InvolvementRole.SUSPECT}),
}


# Duties the law gives children only: statutory guidance asks for a return home interview for
# a child who went missing, not for an adult. Nobody 18 or over on the day of the episode gets
# one, whatever a rule's version says (rules are data; this is not the partnership's choice).
# `people.ages.adult_then` decides, as it does for the interview's clock (cases.hooks).
CHILDREN_ONLY = frozenset({TaskType.RETURN_HOME_INTERVIEW})
# The Hub triages children whose history adds up ("a child has gone missing three times in
# 90 days"): a person rule's history is counted for anyone an event names, but an adult on the
# day of the event that completes it is not a child the Hub triages (a 23-year-old missing
# three times was put in the Hub's queue as "a child").
CHILDREN_ONLY_PERSON_RULES = frozenset({TaskType.HUB_TRIAGE})


def apply_rules(event: Event, facts: dict, people: list[dict], object_kinds=None) -> list[Task]:
    """Make the tasks the current rules ask for; call inside the processing transaction."""
    facts = event_facts(event, facts, people, object_kinds)
    made = []
    for rule in current_rules(event.event_type):
        if rule.scope == RuleScope.PERSON:
            people = _people_of(event)
            if rule.task_type in CHILDREN_ONLY_PERSON_RULES:
                people = [pid for pid in people if not _adult_on_the_day(event, pid)]
            made += [t for pid in people if (t := _person_task(rule, event, facts, pid))]
        elif rule.scope == RuleScope.EVENT and rule.task_type in FOR_EACH_CHILD:
            made += _child_tasks(rule, event, facts)
        elif holds(rule.conditions, facts):
            made += [t for t in [_event_or_place_task(rule, event)] if t]
    return made


def name_child_on_tasks(event: Event) -> int:
    """Once an event's children are known (matched later), their event tasks name them."""
    named = 0
    for child in _children_of(event, frozenset().union(*FOR_EACH_CHILD.values())):
        if child.person_id:
            waiting = Task.objects.filter(event=event, person__isnull=True,
                                          dedupe_key=_child_key(event, child))
            if adult_then(event, child):
                _withdraw_adults_duties(waiting.filter(task_type__in=CHILDREN_ONLY))
                waiting = waiting.exclude(task_type__in=CHILDREN_ONLY)
            named += waiting.update(person_id=child.person_id)
    people = _subjects_of(event)
    if len(people) != 1:
        return named
    # A task made for the whole event (a rule not split per child, or made before it was)
    # names the event's only child.
    return named + Task.objects.filter(
        event=event, person__isnull=True, rule__scope=RuleScope.EVENT,
        dedupe_key=f"e{event.pk}").exclude(task_type__in=FOR_EACH_CHILD).update(
            person_id=people[0])


ADULT_WITHDRAWN = ("Withdrawn: the person was 18 or over on the day of the episode, and a "
                   "return home interview is for children.")


def _withdraw_adults_duties(tasks) -> None:
    """A record of unknown age made a child's duty; matched, the person was an adult then. The
    open task is cancelled unnamed (the team never opens an adult's record through it)."""
    found = list(tasks.filter(status=TaskStatus.OPEN).values_list("pk", flat=True))
    if found:
        Task.objects.filter(pk__in=found).update(status=TaskStatus.CANCELLED,
                                                 description=ADULT_WITHDRAWN)
        record(actor=None, action="update", object_type="task", object_ids=found,
               purpose="partner feed", detail={"status": "cancelled", "why": "adult"})


def _people_of(event: Event) -> list[int]:
    """The people an event is about: never whoever reported it (a parent reporting their child
    missing), so the child's task names the child and a reporter gets no task of their own."""
    if getattr(event, "is_new", False):  # just written by the feed: its people are known
        return sorted({pk for pk in event.person_ids if pk})
    ids = Involvement.objects.filter(event=event, person__isnull=False).exclude(
        role=InvolvementRole.REPORTER)
    return sorted(set(ids.values_list("person_id", flat=True)))


def _subjects_of(event: Event) -> list[int]:
    """Whom an event's own task is for: nor whoever reported it, nor someone the child was
    seen with, so a child missing with an older associate still has a named return home
    interview (the associate's history still counts for the person rules)."""
    ids = Involvement.objects.filter(event=event, person__isnull=False).exclude(
        role__in=[InvolvementRole.REPORTER, InvolvementRole.ASSOCIATE])
    return sorted(set(ids.values_list("person_id", flat=True)))


def _children_of(event: Event, roles) -> list[Involvement]:
    """The event's records of the people in these roles, one each (by agency record)."""
    rows = Involvement.objects.filter(event=event, role__in=roles).filter(
        Q(identity__isnull=False) | Q(person__isnull=False)).select_related(
            "identity", "person").order_by("pk")
    found: dict[str, Involvement] = {}
    for row in rows:  # a child recorded in two such roles (a pupil and a suspect) is one child
        found.setdefault(_child_key(event, row), row)
    return list(found.values())


def _child_key(event: Event, child: Involvement) -> str:
    """One child's task for one event: keyed on the agency's record of the child, which a
    redelivered or updated message finds again, so it names them once they are matched."""
    who = f"i{child.identity_id}" if child.identity_id else f"p{child.person_id}"
    return f"e{event.pk}:{who}"


def _child_tasks(rule: TaskRule, event: Event, facts: dict) -> list[Task]:
    """One task for each child the rule's duty is for; the whole event's while none is known
    (an anonymised ED record), which the first child known then takes over."""
    children = _children_of(event, FOR_EACH_CHILD[rule.task_type])
    if not children:
        whole = _event_or_place_task(rule, event, person=False) if holds(
            rule.conditions, facts) else None
        return [whole] if whole else []
    made = []
    for child in children:
        if rule.task_type in CHILDREN_ONLY and adult_then(event, child):
            continue
        if holds(rule.conditions, {**facts, **_own_age(event, child)}):
            task = _child_task(rule, event, child)
            made += [task] if task else []
    return made


def _own_age(event: Event, child: Involvement) -> dict:
    """The child's own age, where known, so one child's age never makes another's task."""
    age = age_then(event, child)
    return {} if age is None else {"age": age}


def _child_task(rule: TaskRule, event: Event, child: Involvement) -> Task | None:
    key = _child_key(event, child)
    same_rule = Task.objects.filter(rule__slug=rule.slug, event=event)
    if same_rule.filter(dedupe_key=key).exists() or (
            child.person_id and same_rule.filter(person_id=child.person_id).exists()):
        return None  # a re-run, or the child's task made under another of their records
    unnamed = same_rule.filter(dedupe_key=f"e{event.pk}", person__isnull=True).first()
    if unnamed is not None:  # made for the event before any child was known: now this child's
        unnamed.dedupe_key, unnamed.person_id = key, child.person_id
        unnamed.save(update_fields=["dedupe_key", "person"])
        return None
    return _make_task(rule, event, key, person_id=child.person_id, place_id=event.place_id)


def _adult_on_the_day(event: Event, person_id: int) -> bool:
    """18 or over on the day of the event by the person's date of birth; with none, by their
    kind (an unknown age is taken for a child, as for the return home interview)."""
    person = Person.objects.only("date_of_birth", "kind").get(pk=person_id)
    age = age_on(person.date_of_birth, day_of(event.occurred_at))
    if age is not None:
        return age >= ADULT_AGE
    return person.kind != PersonKind.CHILD


def _person_task(rule: TaskRule, event: Event, facts: dict, person_id: int) -> Task | None:
    evidence: list[int] = []
    if not holds(rule.conditions, facts, _history(event, person_id), evidence):
        return None
    if _recent_task(rule, person_id=person_id, at=event.occurred_at):
        return None
    key = f"p{person_id}:e{min(evidence, default=event.pk)}"
    return _make_task(rule, event, key, person_id=person_id)


def _event_or_place_task(rule: TaskRule, event: Event, *, person=True) -> Task | None:
    if rule.scope == RuleScope.PLACE:
        if event.place_id is None or _recent_task(rule, place_id=event.place_id,
                                                  at=event.occurred_at):
            return None
        return _make_task(rule, event, f"pl{event.place_id}:e{event.pk}", place_id=event.place_id)
    person_ids = _subjects_of(event) if person else []
    person_id = person_ids[0] if len(person_ids) == 1 else None
    return _make_task(rule, event, f"e{event.pk}", person_id=person_id, place_id=event.place_id)


def _history(event: Event, person_id: int):
    def events_matching(spec: dict) -> list[int]:
        since = event.occurred_at - dt.timedelta(days=spec["within_days"])
        found = EVENTS.filter(
            involvements__person_id=person_id, occurred_at__gte=since,
            occurred_at__lte=event.occurred_at,
        )
        if spec.get("event_types"):
            found = found.filter(event_type__in=spec["event_types"])
        if spec.get("categories"):
            found = found.filter(category__in=spec["categories"])
        return sorted(set(found.values_list("pk", flat=True)))

    return events_matching


def _recent_task(rule: TaskRule, *, at, **who) -> bool:
    """A flag already raised in this rule's window makes a second one noise, not news."""
    since = at - dt.timedelta(days=rule.window_days)
    return Task.objects.filter(rule__slug=rule.slug, event__occurred_at__gte=since, **who).exists()


def team_for(rule: TaskRule, event: Event) -> Team:
    """The owning team; '{locality}' in the rule becomes the event's locality, else fallback."""
    slug = rule.team_slug
    if "{locality}" in slug:
        locality = event.place.ward.locality.slug if event.place_id else None
        slug = slug.replace("{locality}", locality) if locality else rule.fallback_team_slug
    teams = _reference()[1]
    team = teams.get(slug) or teams.get(rule.fallback_team_slug)
    return team or Team.objects.get(slug=rule.fallback_team_slug)


def due_at(rule: TaskRule, start: dt.datetime) -> dt.datetime:
    """The task's due time: hours on the clock, or working days (same time of day)."""
    if rule.sla_hours is not None:
        return start + dt.timedelta(hours=rule.sla_hours)
    local = timezone.localtime(start)
    day = calendar.add_working_days(local.date(), rule.sla_working_days)
    return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))


def _make_task(rule, event, key, *, person_id=None, place_id=None) -> Task | None:
    """Create the task once: the (rule, key) constraint makes a re-run a no-op."""
    if Task.objects.filter(rule=rule, dedupe_key=key).exists():
        return None  # a re-run: the task was made the first time
    now = clock.now()
    # A concurrent twin fails on the (rule, key) constraint; the caller's savepoint rolls the
    # message back and it is tried again, finding this task.
    task = Task.objects.create(
        rule=rule, dedupe_key=key, rule_version=rule.version, task_type=rule.task_type,
        team=team_for(rule, event), person_id=person_id, place_id=place_id,
        event=event, created_at=now, due_at=duty_due_at(rule, event))
    if task.task_type == TaskType.HUB_TRIAGE and person_id is not None:
        concern = _put_in_triage(rule, event, person_id)
        if concern.due_at != task.due_at:  # one duty, one deadline: the Hub's decision clock
            task.due_at = concern.due_at
            task.save(update_fields=["due_at"])
    task.notified = _notify(task, NotificationKind.NEW, now)
    return task


def duty_due_at(rule: TaskRule, event: Event) -> dt.datetime:
    """When the task for an event falls due: from the event's own moment (the return, the
    arrival at ED), by the statutory clock's rule where the duty has one, else the rule's SLA."""
    start = min(timescales.duty_starts_at(event), clock.now())
    statutory = timescales.STATUTORY_TASK_DUE.get(rule.task_type)
    return statutory(start) if statutory else due_at(rule, start)


# What the Hub is asked to triage, by the kind of event that tipped the rule.
_CONCERN_KINDS = {
    "missing_episode": ConcernKind.MISSING,
    "school_incident": ConcernKind.EXCLUSION,
    "stop_search": ConcernKind.STOP_SEARCH,
}


def _put_in_triage(rule: TaskRule, event: Event, person_id: int):
    """A flag for Hub triage is also a concern in the locality's triage queue, with its clock."""
    return raise_concern(
        person=Person.objects.get(pk=person_id), source=ConcernSource.FEED_RULE,
        reason=rule.description or rule.name, event=event,
        kind=_CONCERN_KINDS.get(event.event_type, ConcernKind.OTHER),
    )


def _notify(task: Task, kind: str, now: dt.datetime) -> int:
    members = _members(task.team_id)
    if not members:
        return 0
    made = Notification.objects.bulk_create(
        [Notification(user_id=pk, task=task, kind=kind, created_at=now) for pk in members],
        ignore_conflicts=True,
    )
    return len(made)


def _members(team_id: int) -> list[int]:
    """Active members of a team (cached with the rules: joiners are notified within seconds)."""
    _reference()
    cached = _cache["members"]
    if team_id not in cached:
        cached[team_id] = list(User.objects.filter(team_id=team_id, is_active=True)
                               .values_list("pk", flat=True))
    return cached[team_id]


def escalate_due_tasks() -> list[int]:
    """Mark open tasks amber at 75% of their time and red at breach, notifying the team."""
    now = clock.now()
    changed = []
    for task in Task.objects.filter(status=TaskStatus.OPEN, escalation__lt=Escalation.BREACH):
        level = Escalation.BREACH if now >= task.due_at else (
            Escalation.AMBER if now >= task.amber_at else Escalation.NONE)
        if level > task.escalation and _escalate(task, level, now):
            changed.append(task.pk)
    return changed


def _escalate(task: Task, level: int, now) -> bool:
    with transaction.atomic():
        updated = Task.objects.filter(pk=task.pk, escalation__lt=level).update(escalation=level)
        if not updated:
            return False
        kind = NotificationKind.BREACH if level == Escalation.BREACH else NotificationKind.AMBER
        _notify(task, kind, now)
        record(actor=None, action="update", object_type="task", object_ids=[task.pk],
               purpose="task clock", detail={"escalation": int(level)})
    return True


def complete_task(*, actor, task: Task) -> Task:
    """A team member marks the task done: only once its outcome is recorded (see outcomes.py,
    where recording the outcome completes the task in the same transaction)."""
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        if task.status != TaskStatus.OPEN:
            return task
        if not task.outcomes.filter(state=OutcomeState.CURRENT).exists():
            raise Refused("outcome", "Record the outcome before marking the task as done")
        task.status, task.completed_at, task.completed_by = TaskStatus.DONE, clock.now(), actor
        owned = take_if_unowned(task, actor)
        task.save(update_fields=["status", "completed_at", "completed_by", "assigned_to"])
        record(actor=actor, action="update", object_type="task", object_ids=[task.pk],
               purpose="direct_work",
               detail={"status": "done", **({"assigned_to": actor.pk} if owned else {})})
    return task


def mark_notifications_read(*, actor, task_ids=None) -> int:
    """The user has seen the notices about these tasks (the banner's lines; None: all). The
    banner shows only the newest few, so 'Mark as read' must not clear what it never showed."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if task_ids is not None:
        unread = unread.filter(task_id__in=task_ids)
    with transaction.atomic():
        count = unread.update(read_at=clock.now())
        record(actor=actor, action="update", object_type="notification", detail={"read": count})
    return count


def send_notification_emails() -> int:
    """Email each unsent notification once: the task's type, due time and link, no names."""
    sent = 0
    with transaction.atomic():  # two workers never email the same notification
        notes = list(Notification.objects.filter(emailed_at__isnull=True)
                     .select_related("task__team", "user")
                     .select_for_update(of=("self",), skip_locked=True)[:500])
        for note in notes:
            sent += _email(note)
    return sent


def _email(note: Notification) -> int:
    if note.user.email:
        send_mail(
            subject=f"Safer Options: {note.get_kind_display()}",
            message=(f"{note.task.get_task_type_display()} for {note.task.team.name}, "
                     f"due {timezone.localtime(note.task.due_at):%d %b %Y %H:%M}.\n"
                     f"Open it in Safer Options: {settings.SITE_URL}"
                     f"{reverse('tasks:detail', args=[note.task.pk])}"),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[note.user.email],
        )
    Notification.objects.filter(pk=note.pk).update(emailed_at=clock.now())
    return 1 if note.user.email else 0
