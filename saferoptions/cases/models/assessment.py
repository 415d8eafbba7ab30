"""The single assessment: one open per child, contextual prompts inside the statutory framework."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Waiting for manager approval"
    RETURNED = "returned", "Returned by the manager"
    APPROVED = "approved", "Approved"
    CLOSED = "closed", "Closed without completion"


OPEN_STATUSES = (AssessmentStatus.IN_PROGRESS, AssessmentStatus.SUBMITTED,
                 AssessmentStatus.RETURNED)

# The written sections, in the order the form shows them: (field, heading, prompt).
SECTIONS = [
    ("developmental_needs", "Child's developmental needs",
     "Health, education, emotional and behavioural development, identity, relationships, "
     "self-care."),
    ("parenting_capacity", "Parenting capacity",
     "Basic care, safety, warmth, stimulation, guidance and boundaries, stability."),
    ("family_environment", "Family and environmental factors",
     "Family history and functioning, wider family, housing, employment, income, "
     "community resources."),
    ("peers", "Peers",
     "Who the child spends time with; older associates; peer group norms; harm between peers."),
    ("school", "School",
     "Attendance, exclusions, safety in and around school, relationships with staff."),
    ("neighbourhood", "Neighbourhood and places",
     "Where the child goes, when, with whom; places where harm happens; transport."),
    ("online", "Online",
     "Apps and platforms, contact from unknown adults, images, money or debts online."),
    ("child_words", "The child's own words", "What the child said, in their words."),
    ("parents_views", "Parents' and carers' views", "What parents and carers said."),
    ("analysis", "Analysis", "What the information means for the child's safety and needs."),
    ("recommendation", "Recommendation", "What should happen next, and why."),
]
SECTION_NAMES = [name for name, _, _ in SECTIONS]


class Assessment(models.Model):
    """A child and family assessment: due 45 working days after referral (see settings)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="assessments")
    concern = models.ForeignKey("cases.Concern", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="assessments")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="assessments")
    status = models.CharField(max_length=12, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.IN_PROGRESS)
    referral_on = models.DateField()
    due_on = models.DateField()
    started_at = models.DateTimeField()
    # Raised on every save: a save based on an older version is a conflict, never an overwrite.
    version = models.PositiveIntegerField(default=1)
    developmental_needs = models.TextField(blank=True)
    parenting_capacity = models.TextField(blank=True)
    family_environment = models.TextField(blank=True)
    peers = models.TextField(blank=True)
    school = models.TextField(blank=True)
    neighbourhood = models.TextField(blank=True)
    online = models.TextField(blank=True)
    child_words = models.TextField(blank=True)
    parents_views = models.TextField(blank=True)
    analysis = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    # How much of the harm is outside the family: 0 all familial, 100 all extra-familial.
    extra_familial_weight = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    late_reason = models.TextField(blank=True)
    manager_comments = models.TextField(blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="one_open_assessment_per_child",
            ),
            models.CheckConstraint(
                condition=Q(extra_familial_weight__isnull=True)
                | Q(extra_familial_weight__gte=0, extra_familial_weight__lte=100),
                name="assessment_weight_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AssessmentDraft(models.Model):
    """Typing saved as it happens, per worker and section, so a timeout never loses work."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    section = models.CharField(max_length=24)
    text = models.TextField(blank=True)
    base_version = models.PositiveIntegerField()
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user", "section"],
                                    name="one_draft_per_section")
        ]

    def __str__(self) -> str:
        return f"AssessmentDraft {self.pk}"


class Revision(models.Model):
    """What one save changed on an assessment or plan, so a conflict can show it."""

    object_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField()
    changed = models.JSONField(default=dict)
    # Why a recorded item was corrected after the fact (blank for ordinary saves).
    reason = models.TextField(blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id", "version"],
                                    name="revision_once_per_version")
        ]

    def __str__(self) -> str:
        return f"Revision {self.pk}"
