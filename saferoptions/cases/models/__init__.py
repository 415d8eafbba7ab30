"""The child's pathway: team, triage, assessment, plans, clocks (one module per part)."""

from .assessment import (
    OPEN_STATUSES,
    SECTION_NAMES,
    SECTIONS,
    Assessment,
    AssessmentDraft,
    AssessmentStatus,
    Revision,
)
from .clocks import CaseMeeting, ClockKind, MeetingKind, NrmOutcome, NrmReferral, StatutoryClock
from .plans import ActionStatus, Plan, PlanAction, PlanKind, PlanReview, PlanStatus
from .team import MeetingAttendance, TeamAroundChildMember, TeamRole
from .triage import CaseNotification, Concern, ConcernKind, ConcernSource, TriageOutcome

__all__ = [
    "OPEN_STATUSES", "SECTION_NAMES", "SECTIONS", "Assessment", "AssessmentDraft",
    "AssessmentStatus", "Revision", "CaseMeeting", "ClockKind", "MeetingKind", "NrmOutcome",
    "NrmReferral", "StatutoryClock", "ActionStatus", "Plan", "PlanAction", "PlanKind",
    "PlanReview", "PlanStatus", "MeetingAttendance", "TeamAroundChildMember", "TeamRole",
    "CaseNotification", "Concern", "ConcernKind", "ConcernSource", "TriageOutcome",
]
