"""Every write on the child's pathway: one function per change, audited, in one transaction.

The acting user is always the keyword argument `actor`. Callers (views) have already opened
the child's record through the access policy; the services re-check what they must (the
single open assessment, versions, who may approve).
"""

from .assessments import (
    AssessmentConflict,
    autosave_section,
    decide_assessment,
    save_assessment,
    start_assessment,
    submit_assessment,
)
from .clocks import (
    open_return_home_interview,
    record_meeting,
    record_nrm_decision,
    record_nrm_referral,
    record_return_home_interview,
    start_clock,
)
from .common import Refused
from .plans import (
    PlanConflict,
    add_plan_action,
    create_plan,
    record_plan_review,
    update_action_status,
    update_plan,
)
from .team import add_team_member, end_team_membership
from .triage import check_accumulation, decide_concern, match_concern, raise_concern

__all__ = [
    "AssessmentConflict", "autosave_section", "decide_assessment", "save_assessment",
    "start_assessment", "submit_assessment", "open_return_home_interview", "record_meeting",
    "record_nrm_decision", "record_nrm_referral", "record_return_home_interview", "start_clock",
    "Refused", "PlanConflict", "add_plan_action", "create_plan", "update_action_status",
    "update_plan", "record_plan_review", "match_concern", "add_team_member",
    "end_team_membership", "check_accumulation",
    "decide_concern", "raise_concern",
]
