"""Linkage: the versioned model that links identities into persons, its runs, and its queues."""

from django.conf import settings
from django.db import models


class LinkageModel(models.Model):
    """One trained version of the linkage model: Splink's settings, parameters and thresholds."""

    version = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField()
    engine = models.CharField(max_length=10, default="duckdb")
    splink_model = models.JSONField(help_text="Splink's model JSON: settings and trained m/u.")
    level_weights = models.JSONField(help_text="Prior and Bayes factor of each comparison level.")
    thresholds = models.JSONField(help_text="Match probabilities for automatic link and review.")
    trained_on = models.PositiveIntegerField(help_text="How many records it was trained on.")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Linkage model v{self.version}"


class LinkageRun(models.Model):
    """One batch linkage of every identity, with what it changed."""

    model = models.ForeignKey(LinkageModel, on_delete=models.PROTECT, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    counts = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Linkage run {self.pk}"


class IdentityMatch(models.Model):
    """Why an identity belongs to its person: the model version and the best link's probability."""

    identity = models.OneToOneField(
        "people.Identity", on_delete=models.CASCADE, related_name="linkage_match"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    model = models.ForeignKey(LinkageModel, on_delete=models.PROTECT, related_name="+")
    match_probability = models.FloatField(
        null=True, blank=True, help_text="Best automatic link to another identity; none if alone."
    )

    def __str__(self) -> str:
        return f"Identity {self.identity_id} in person {self.person_id}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    MATCH = "match", "Match"
    NOT_MATCH = "not_match", "Not a match"
    NOT_SURE = "not_sure", "Not sure"


class ReviewPair(models.Model):
    """Two identities the model was unsure about, for a person to decide (clerical review)."""

    identity_a = models.ForeignKey("people.Identity", on_delete=models.CASCADE, related_name="+")
    identity_b = models.ForeignKey("people.Identity", on_delete=models.CASCADE, related_name="+")
    model = models.ForeignKey(LinkageModel, on_delete=models.PROTECT, related_name="review_pairs")
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    contributions = models.JSONField(
        help_text="Per comparison: level (gamma), its label, Bayes factor and match weight."
    )
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reason = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["identity_a", "identity_b"], name="review_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(identity_a__lt=models.F("identity_b")),
                name="review_pair_ordered",
            ),
        ]
        indexes = [models.Index(fields=["status", "-match_probability"])]

    def __str__(self) -> str:
        return f"Review pair {self.pk}"


class UnmatchedDecision(models.TextChoices):
    PENDING = "", "Waiting for a decision"
    EXISTING = "existing", "An existing person"
    NEW = "new", "A new person"


class UnmatchedKind(models.TextChoices):
    """Why a record waits without a person; the batch run writes only TOO_LITTLE."""

    TOO_LITTLE = "too_little", "Too little to match"
    NO_MODEL = "no_model", "No linkage model yet"
    REVIEW = "review", "Waiting for a review decision"
    # Only rows carried over from the feeds page: a feed now gives such a record a new person.
    NO_CANDIDATE = "no_candidate", "Nobody likely found"


# What the queue says for each kind, in plain words (TOO_LITTLE adds the stored reason).
UNMATCHED_REASONS = {
    UnmatchedKind.NO_MODEL: "no linkage model has been trained yet",
    UnmatchedKind.REVIEW: "waiting for a review decision",
    UnmatchedKind.NO_CANDIDATE: "nobody likely was found when it arrived",
}


class UnmatchedIdentity(models.Model):
    """An identity a feed or the batch run left without a person, and why."""

    identity = models.OneToOneField(
        "people.Identity", on_delete=models.CASCADE, related_name="linkage_unmatched"
    )
    kind = models.CharField(max_length=12, choices=UnmatchedKind.choices,
                            default=UnmatchedKind.TOO_LITTLE)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    # A person's decision about who it is; batch linkage leaves decided identities as decided.
    decision = models.CharField(max_length=10, blank=True, default="",
                                choices=UnmatchedDecision.choices)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "unmatched identities"

    def __str__(self) -> str:
        return f"Unmatched identity {self.identity_id}"

    @property
    def plain_reason(self) -> str:
        """Why it waits, as the queue says it."""
        if self.kind == UnmatchedKind.TOO_LITTLE:
            return f"too little to match ({self.reason})"
        return self.reason or UNMATCHED_REASONS.get(self.kind, "")


class PersonChangeKind(models.TextChoices):
    MERGE = "merge", "Merge"
    SPLIT = "split", "Split"


class PersonMerge(models.Model):
    """A merge (or split) of persons by hand: every row it moved, so it can be undone exactly.

    A merge moves rows from `from_person` (absorbed) to `to_person` (survivor); a split moves
    chosen identities from `from_person` to `to_person` (new). `moved` holds, per model label and
    person field, the ids of the rows moved.
    """

    kind = models.CharField(max_length=5, choices=PersonChangeKind.choices)
    from_person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    to_person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    # Review decisions it recorded so batch linkage keeps it: pair id, whether it made the pair,
    # and the pair's earlier decision (restored on undo).
    decisions = models.JSONField(default=list)
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Person {self.kind} {self.pk}"
