"""Every write in the interventions app: one function per state change (docs/interventions.md)."""

from .capacity import offer_waiting_places, set_month_places, set_standing_places
from .catalogue import add_area, add_provider, remove_provider, save_programme
from .common import Refused
from .context_brokering import broker_for_context, end_placement
from .formulation import may_write, write_formulation
from .outcomes import create_feedback_link, open_link, record_feedback, record_worker_rating
from .participation import correct_activity, record_activity, withdraw_activity
from .referrals import (
    accept,
    decline,
    end,
    parent_consent_needed,
    record_risk_judgement,
    record_session,
    refer,
    start,
)
from .workforce import (
    record_seen,
    record_training,
    save_practitioner,
    schedule_session,
    staff_session,
    why_not_trained,
)

__all__ = [
    "Refused", "accept", "add_area", "create_feedback_link", "open_link", "record_feedback",
    "record_worker_rating", "add_provider", "decline", "end", "offer_waiting_places",
    "parent_consent_needed", "record_risk_judgement", "record_session", "refer",
    "remove_provider", "save_programme", "set_month_places", "set_standing_places", "start",
    "may_write", "write_formulation", "record_seen", "record_training", "save_practitioner",
    "schedule_session", "staff_session", "why_not_trained", "broker_for_context",
    "end_placement", "record_activity", "correct_activity", "withdraw_activity",
]
