"""The weekly multi-agency meeting in each locality: its agenda, who came, what was decided."""

from django.conf import settings
from django.db import models

from saferoptions.core import clock


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"


class LocalityMeeting(models.Model):
    """One locality's weekly meeting on one day; closed, it is the record and cannot change."""

    locality = models.ForeignKey("core.Locality", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    starts_at = models.TimeField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="meetings_chaired")
    status = models.CharField(max_length=12, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "locality__name"]
        constraints = [
            models.UniqueConstraint(fields=["locality", "held_on"], name="meeting_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.locality} meeting {self.held_on:%d %b %Y}"

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED


class ItemKind(models.TextChoices):
    CHILD = "child", "Child"
    GROUP = "group", "Peer group case"
    PLACE = "place", "Place case"
    OVERDUE_ACTION = "overdue_action", "Overdue action"
    CARRIED_OVER = "carried_over", "Not discussed last time"
    ADDED_BY_CHAIR = "added_by_chair", "Added by the chair"


class AgendaItem(models.Model):
    """One thing to discuss. `why` is written from source ids, never copied from a record."""

    meeting = models.ForeignKey(LocalityMeeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=16, choices=ItemKind.choices)
    # What the item is about ("person:12", "group:3", "place:8", "task:40"): one item each.
    key = models.CharField(max_length=40)
    # Disposing of a child's record takes the items about them with it (governance).
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")
    group = models.ForeignKey("contexts.Group", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    place = models.ForeignKey("contexts.Place", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    context_case = models.ForeignKey("contexts.ContextCase", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    # A task leaves with its child at retention disposal; the item (a group's, a place's)
    # stays, without the link.
    task = models.ForeignKey("tasks.Task", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    why = models.CharField(max_length=400)
    sources = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField()
    notes = models.TextField(blank=True)
    decision = models.TextField(blank=True)
    discussed = models.BooleanField(default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    created_at = models.DateTimeField()
    # Written when the meeting closes: its number and its reasons as they stood then (each
    # {"step", "text", "concern_id"}), so the minutes never re-read them from a later day.
    closed_number = models.PositiveIntegerField(null=True, blank=True)
    closed_reasons = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "key"], name="agenda_item_once"),
        ]

    def __str__(self) -> str:
        return f"agenda item {self.pk}"

    @property
    def has_discussion(self) -> bool:
        return bool(self.discussed or self.notes or self.decision)


class NotCarriedOver(models.Model):
    """An item the last meeting did not discuss and a closed meeting's agenda did not carry,
    with why, as it stood when the meeting closed: read later, the list would follow that
    day's data (an open meeting's list is worked out when it is read)."""

    meeting = models.ForeignKey(LocalityMeeting, on_delete=models.CASCADE,
                                related_name="not_carried_over")
    # Numbers and words only: the earlier item's subject is never named here.
    number = models.PositiveIntegerField(null=True, blank=True)  # its number at that meeting
    because = models.CharField(max_length=400)
    from_held_on = models.DateField()  # the meeting it was not carried over from
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"not carried over {self.pk}"


class InvitedBecause(models.TextChoices):
    """Why a practitioner is invited: the chair asked them, or they work with a child on the
    agenda (an invitation the agenda made goes again if their child leaves it before the
    meeting; the chair's stays)."""

    CHAIR = "chair", "Invited by the chair"
    TEAM_AROUND_CHILD = "team_around_child", "Works with a child on the agenda"
    # The partners who come every week (journey 5: police, education, health, Barnardo's,
    # housing): invited by the chair to the last meeting, and there when it was held.
    REGULAR = "regular", "Comes every week"


class WithdrawnFrom(models.TextChoices):
    """How far a chair withdrew an invitation: this meeting only (a regular is invited again
    next week), or every week (not invited again until a chair invites them)."""

    MEETING = "meeting", "This meeting only"
    EVERY_WEEK = "every_week", "Every week"


class Attendee(models.Model):
    """A practitioner invited to the meeting, for their agency, and whether they came.

    A withdrawn invitation stays on the record (who withdrew it, when, how far): the invitee
    no longer opens the meeting, and what being present there let them read ends."""

    meeting = models.ForeignKey(LocalityMeeting, on_delete=models.CASCADE,
                                related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="meeting_invitations")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    attended = models.BooleanField(default=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    invited_at = models.DateTimeField()
    invited_because = models.CharField(max_length=20, choices=InvitedBecause.choices,
                                       default=InvitedBecause.CHAIR)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    withdrawn_from = models.CharField(max_length=12, choices=WithdrawnFrom.choices, blank=True)

    class Meta:
        ordering = ["agency__name", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendee_once"),
        ]

    def __str__(self) -> str:
        return f"attendee {self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def comes_every_week(self) -> bool:
        """Invited by the chair or as a regular: the next agenda invites them again
        (invitations.regulars), so withdrawing may mean this meeting or every week."""
        return self.invited_because in (InvitedBecause.CHAIR, InvitedBecause.REGULAR)


class MeetingAction(models.Model):
    """Something the meeting decided a team must do, by when; it becomes that team's task."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    task = models.OneToOneField("tasks.Task", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="meeting_action")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    # A mistaken action is withdrawn, never deleted: it stays on the record with why.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"meeting action {self.pk}"

    @property
    def progress(self) -> tuple[str, str]:
        """(words, GOV.UK tag colour) for where the team's task is: the next meeting reads
        last week's actions as done or overdue without opening each task."""
        if self.withdrawn_at:
            return "Withdrawn", "grey"
        task = self.task
        if task is None:
            return "No task", "grey"
        if task.status == "done":
            return "Done", "green"
        if task.status == "cancelled":
            return "Cancelled", "grey"
        return ("Overdue", "red") if task.due_at < clock.now() else ("Open", "blue")


class MeetingActionCorrection(models.Model):
    """One correction of a meeting action: what it said before and after, who, when and why.

    The action itself carries the corrected words (its team's task follows them); these rows
    keep the earlier wording on the record, so a correction is never a silent rewrite.
    """

    action = models.ForeignKey(MeetingAction, on_delete=models.CASCADE,
                               related_name="corrections")
    old_description = models.CharField(max_length=500)
    new_description = models.CharField(max_length=500)
    old_team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="+")
    new_team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="+")
    old_due_on = models.DateField()
    new_due_on = models.DateField()
    reason = models.TextField()
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    corrected_at = models.DateTimeField()

    class Meta:
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"correction {self.pk} of meeting action {self.action_id}"

    @property
    def changes(self) -> list[tuple[str, object, object, bool]]:
        """(what, before, after, is_date) for each part that changed, for the page to show."""
        parts = [("Action", self.old_description, self.new_description, False),
                 ("Owning team", self.old_team, self.new_team, False),
                 ("Due", self.old_due_on, self.new_due_on, True)]
        return [part for part in parts if part[1] != part[2]]
