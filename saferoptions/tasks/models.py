"""Work that rules create from events: tasks with an owning team and an SLA clock."""

from django.conf import settings
from django.db import models

from saferoptions.core import clock


class TaskType(models.TextChoices):
    HOSPITAL_RAPID_RESPONSE = "hospital_rapid_response", "Hospital rapid response"
    RISK_ASSESSMENT = "risk_assessment", "Education Inclusion Manager risk assessment"
    RETURN_HOME_INTERVIEW = "return_home_interview", "Return home interview"
    HUB_TRIAGE = "hub_triage", "Hub triage and locality meeting"
    PLACE_REVIEW = "place_review", "Place review"
    LOCALITY_MEETING_ACTION = "locality_meeting_action", "Action agreed at the locality meeting"


class RuleScope(models.TextChoices):
    EVENT = "event", "Once per event"
    PERSON = "person", "Once per child in a window"
    PLACE = "place", "Once per place in a window"


class TaskRule(models.Model):
    """A versioned, declarative rule: when an event matches its conditions, a task is made."""

    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True, help_text="What the rule does, in plain words.")
    event_types = models.JSONField(default=list, help_text="Event types that trigger the rule.")
    conditions = models.JSONField(default=dict, help_text="Conditions in the rules DSL.")
    scope = models.CharField(max_length=8, choices=RuleScope.choices, default=RuleScope.EVENT)
    window_days = models.PositiveIntegerField(default=0, help_text="For person or place scope.")
    task_type = models.CharField(max_length=32, choices=TaskType.choices)
    team_slug = models.CharField(
        max_length=60, help_text="Owning team; '{locality}' is replaced by the event's locality."
    )
    fallback_team_slug = models.CharField(max_length=60, default="hub")
    sla_hours = models.PositiveIntegerField(null=True, blank=True)
    sla_working_days = models.PositiveIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="taskrule_unique_version"),
            models.CheckConstraint(
                condition=models.Q(sla_hours__isnull=False)
                | models.Q(sla_working_days__isnull=False),
                name="taskrule_has_sla",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Escalation(models.IntegerChoices):
    NONE = 0, "On time"
    AMBER = 1, "75% of time used"
    BREACH = 2, "Breached"


class Task(models.Model):
    """A piece of work for a team, made by a rule from an event, with a due time."""

    rule = models.ForeignKey(TaskRule, on_delete=models.PROTECT, related_name="tasks")
    rule_version = models.PositiveIntegerField()
    # Rule plus this key is unique, so a redelivered or re-run event never makes a second task.
    dedupe_key = models.CharField(max_length=80)
    task_type = models.CharField(max_length=32, choices=TaskType.choices)
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="tasks")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    place = models.ForeignKey(
        "contexts.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    created_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    escalation = models.PositiveSmallIntegerField(
        choices=Escalation.choices, default=Escalation.NONE
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What to do in the words of whoever asked (a meeting action's text); rules leave it empty.
    description = models.TextField(blank=True)
    # The team member doing it; empty until someone takes it or is given it.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="assigned_tasks")

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["team", "status", "due_at"]),
                   models.Index(fields=["assigned_to", "status", "due_at"])]
        constraints = [
            models.UniqueConstraint(fields=["rule", "dedupe_key"], name="task_once_per_rule_key")
        ]

    def __str__(self) -> str:
        return f"Task {self.pk} ({self.task_type})"

    @property
    def title(self) -> str:
        """The task in the words of whoever asked for it: the action's text, else the rule's."""
        return self.description or self.rule.name

    @property
    def amber_at(self):
        """When 75% of the time allowed has gone (the share is set in settings)."""
        share = settings.TASK_AMBER_SHARE
        return self.created_at + (self.due_at - self.created_at) * share


class NotificationKind(models.TextChoices):
    NEW = "new", "New task"
    AMBER = "amber", "Task at 75% of its time"
    BREACH = "breach", "Task past its due time"


class Notification(models.Model):
    """An in-app notice to one team member about a task; emailed once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_notifications"
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=8, choices=NotificationKind.choices)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "task", "kind"], name="notification_once")
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk} ({self.kind})"


class OutcomeState(models.TextChoices):
    CURRENT = "current", "Current"
    CORRECTED = "corrected", "Replaced by a correction"
    WITHDRAWN = "withdrawn", "Withdrawn"


class TaskOutcome(models.Model):
    """What was done for a task and how it ended: one version per recording, never deleted.

    The answers are the task type's form, validated (`tasks.outcomes`), kept as JSON so each
    type keeps its own questions; the outcome and when it happened are columns so they can
    be counted across types. A correction is a new version; the old one stays, marked.
    """

    # Goes with its task: disposal of a child's closed work takes what was recorded too.
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="outcomes")
    version = models.PositiveIntegerField()
    task_type = models.CharField(max_length=32, choices=TaskType.choices)
    outcome = models.CharField(max_length=40)
    happened_at = models.DateTimeField(help_text="When the work was done.")
    answers = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=OutcomeState.choices,
                             default=OutcomeState.CURRENT)
    reason = models.TextField(blank=True, help_text="Why this version corrects the last one.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)
    withdrawn_reason = models.TextField(blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task", "-version"]
        indexes = [models.Index(fields=["task_type", "state", "outcome"])]
        constraints = [
            models.UniqueConstraint(fields=["task", "version"], name="outcome_version_once"),
            models.UniqueConstraint(fields=["task"], condition=models.Q(state="current"),
                                    name="outcome_one_current"),
        ]

    def __str__(self) -> str:
        return f"Outcome {self.pk} (task {self.task_id} v{self.version})"
