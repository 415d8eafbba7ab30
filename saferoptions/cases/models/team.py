"""Who works with a child: the relationships the access policy reads (`access/facts.py`)."""

from django.conf import settings
from django.db import models


class TeamRole(models.TextChoices):
    """A member's part in the team; every role gives the same access while membership lasts."""

    LEAD_PROFESSIONAL = "lead_professional", "Lead professional"
    ALLOCATED_WORKER = "allocated_worker", "Allocated worker"
    MEMBER = "member", "Member of the team around the child"
    LEAD_WORKER = "lead_worker", "Lead worker"
    SOCIAL_WORKER = "social_worker", "Social worker"
    EARLY_HELP_WORKER = "early_help_worker", "Early help worker"
    EDUCATION_INCLUSION_MANAGER = "education_inclusion_manager", "Education Inclusion Manager"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    CLINICAL_PSYCHOLOGIST = "clinical_psychologist", "Clinical psychologist"
    YOUTH_WORKER = "youth_worker", "Youth worker or mentor"


class TeamAroundChildMember(models.Model):
    """A practitioner's place in the team around a child; it gives access while it lasts."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="team_around"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_around_children"
    )
    role = models.CharField(max_length=40, choices=TeamRole.choices, default=TeamRole.MEMBER)
    started_on = models.DateField()
    ended_on = models.DateField(
        null=True, blank=True, help_text="The first day the member is no longer in the team."
    )
    # Who changed the team, why, and under which row of `cases.team_rules` (empty: the data
    # loading commands, which run as no one).
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    authority = models.CharField(max_length=20, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "person"]),
            models.Index(fields=["person", "role"]),
        ]

    def __str__(self) -> str:
        return f"team member {self.pk}"


class MeetingAttendance(models.Model):
    """A practitioner attending the meeting where a person is discussed (e.g. the locality meeting).

    Attendance gives access for a configurable window around the meeting day, so attendees can
    prepare and follow up their actions.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="meeting_discussions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_attendances"
    )
    meeting_on = models.DateField()
    locality = models.ForeignKey(
        "core.Locality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["user", "meeting_on"])]

    def __str__(self) -> str:
        return f"meeting attendance {self.pk}"
