"""Plans around a child, their actions and reviews, linked to the contexts that affect them."""

from django.conf import settings
from django.db import models

from .withdrawal import Withdrawable


class PlanKind(models.TextChoices):
    EARLY_HELP = "early_help", "Early help plan"
    CHILD_IN_NEED = "child_in_need", "Child in need plan"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    CONTEXTUAL_SAFETY = "contextual_safety", "Contextual safety plan"


class PlanStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Plan(models.Model):
    """One plan for a child, reviewed on a date, with a version for conflicting edits."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="plans")
    outcomes = models.TextField(help_text="What the plan should achieve for the child.")
    review_on = models.DateField()
    groups = models.ManyToManyField("contexts.Group", blank=True, related_name="+")
    places = models.ManyToManyField("contexts.Place", blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Plan {self.pk}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "No longer needed"


class PlanAction(Withdrawable):
    """One thing someone will do for the plan, by a date."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="plan_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices,
                              default=ActionStatus.NOT_STARTED)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"PlanAction {self.pk}"


class PlanReview(Withdrawable):
    """A review of a plan: what was found, and when the next review is."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    summary = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    def __str__(self) -> str:
        return f"PlanReview {self.pk}"
