"""The partners' words for programmes, needs, routes in and referral states (no Django models)."""

from django.db import models


class Level(models.TextChoices):
    PREVENTATIVE = "preventative", "Preventative"
    PROACTIVE = "proactive", "Proactive"
    TARGETED = "targeted", "Targeted and diversion"
    PARTICIPATION = "participation", "Participation, voice and influence"


class WorksWith(models.TextChoices):
    CHILD = "child", "A child or young person"
    GROUP = "group", "A group of young people"
    PLACE = "place", "A place"
    PARENTS = "parents", "Parents and carers"


class RiskLevel(models.TextChoices):
    """The practitioner's judgement recorded on the plan or assessment; never a computed score."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Need(models.TextChoices):
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Criminal exploitation"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    SERIOUS_VIOLENCE = "serious_violence", "Serious violence"
    KNIFE_CARRYING = "knife_carrying", "Knife or weapon carrying"
    DRUG_DEALING = "drug_dealing", "Drug dealing"
    CANNABIS_USE = "cannabis_use", "Cannabis or other substance use"
    MISSING = "missing", "Going missing"
    GROUP_PERIPHERY = "group_periphery", "On the periphery of a group exposed to harm"
    EXCLUSION_RISK = "exclusion_risk", "At risk of exclusion from school"
    PEER_CONFLICT = "peer_conflict", "Conflict between groups of young people"
    PARENT_SUPPORT = "parent_support", "Parents need support"


class RouteIn(models.TextChoices):
    DIRECT = "direct", "Direct referral"
    SCHOOL = "school", "Through the school"
    OUT_OF_COURT = "out_of_court_disposal", "Out-of-court disposal"
    DEFERRED_CHARGE = "deferred_charge", "Deferred charging (arrest)"


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", "On the waiting list"
    SENT = "sent", "Sent to the provider"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    STARTED = "started", "Started"
    ENDED = "ended", "Ended"


class EndReason(models.TextChoices):
    COMPLETED = "completed", "Completed"
    DISENGAGED = "disengaged", "Disengaged"
    MOVED = "moved", "Moved away"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PlacementEnd(models.TextChoices):
    """Why a group's or place's placement ends, and the plan row's status it leaves."""

    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELLED = "cancelled", "Cancelled before it began"


class Consent(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    NOT_ASKED = "not_asked", "Not asked yet"


# A referral in these states is a relationship with the child: the provider's team works
# with them (the access policy reads it like team membership).
ACTIVE_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.STARTED)
# A referral in these states holds one of the month's places.
PLACE_STATUSES = ACTIVE_STATUSES
CLOSED_STATUSES = (ReferralStatus.DECLINED, ReferralStatus.ENDED)


class Measure(models.TextChoices):
    """What a programme's start and end measure counts, from the events already held."""

    MISSING = "missing", "Missing episodes"
    EXCLUSIONS = "exclusions", "Exclusions from school"
    POLICE = "police", "Police contacts"
    ED = "ed", "Emergency department attendances"


def every_measure() -> list[str]:
    """A new programme measures all four until the catalogue manager chooses."""
    return list(Measure.values)


class Respondent(models.TextChoices):
    WORKER = "worker", "The worker"
    YOUNG_PERSON = "young_person", "The young person"
    PARENT = "parent", "A parent or carer"


# A rating from 1 to 5, in words a young person would use on a phone.
RATINGS = [(1, "Not helpful at all"), (2, "Not very helpful"), (3, "OK"),
           (4, "Helpful"), (5, "Really helpful")]


class Training(models.TextChoices):
    """What a practitioner on the workforce register is trained in (docs/interventions.md)."""

    CONFLICT_RESOLUTION = "conflict_resolution", "Conflict resolution (LEAP model)"
    CONTEXTUAL_SAFEGUARDING = "contextual_safeguarding", "Contextual safeguarding"
    DETACHED_YOUTH_WORK = "detached_youth_work", "Detached youth work"
    LATE_NIGHT_OUTREACH = "late_night_outreach", "Late-night outreach"


class OutreachStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
