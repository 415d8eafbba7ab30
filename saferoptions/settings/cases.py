"""The child's pathway (docs/pathway.md): statutory and local timescales, clock colours,
accumulating concerns, what is known about a child, autosave and the chronology's page.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

import os

from .base import env_int

# Timescales for the child's pathway (docs/pathway.md). Working days skip weekends and England &
# Wales bank holidays; statutory defaults from Working Together, changed here, never in code.
CASES_TRIAGE_DECISION_WORKING_DAYS = env_int("SAFEROPTIONS_TRIAGE_DECISION_WORKING_DAYS", 1)
CASES_ASSESSMENT_WORKING_DAYS = env_int("SAFEROPTIONS_ASSESSMENT_WORKING_DAYS", 45)
# Statute says "immediately"; this is the local expectation for holding it.
CASES_STRATEGY_DISCUSSION_HOURS = env_int("SAFEROPTIONS_STRATEGY_DISCUSSION_HOURS", 24)
CASES_INITIAL_CONFERENCE_WORKING_DAYS = env_int("SAFEROPTIONS_INITIAL_CONFERENCE_WORKING_DAYS", 15)
CASES_CORE_GROUP_WORKING_DAYS = env_int("SAFEROPTIONS_CORE_GROUP_WORKING_DAYS", 10)
CASES_FIRST_REVIEW_CONFERENCE_MONTHS = env_int("SAFEROPTIONS_FIRST_REVIEW_CONFERENCE_MONTHS", 3)
CASES_LATER_REVIEW_CONFERENCE_MONTHS = env_int("SAFEROPTIONS_LATER_REVIEW_CONFERENCE_MONTHS", 6)
CASES_RETURN_HOME_INTERVIEW_HOURS = env_int("SAFEROPTIONS_RETURN_HOME_INTERVIEW_HOURS", 72)
CASES_NRM_REASONABLE_GROUNDS_WORKING_DAYS = env_int("SAFEROPTIONS_NRM_RG_WORKING_DAYS", 5)
# Conclusive grounds come no sooner than 30 days after reasonable grounds; this is the target.
CASES_NRM_CONCLUSIVE_GROUNDS_DAYS = env_int("SAFEROPTIONS_NRM_CG_DAYS", 45)
# A clock turns amber when this share of its time has gone, and red once it is overdue.
CASES_CLOCK_AMBER_SHARE = float(os.environ.get("SAFEROPTIONS_CASES_CLOCK_AMBER_SHARE", "0.75"))
# Small concerns that add up: items in the last `window_days` days, weighted by kind (concern
# kinds and event types), prompt a review at `threshold`. Unlisted kinds weigh nothing.
CASES_ACCUMULATION = {
    "window_days": env_int("SAFEROPTIONS_ACCUMULATION_WINDOW_DAYS", 90),
    "threshold": env_int("SAFEROPTIONS_ACCUMULATION_THRESHOLD", 6),
    "weights": {
        "missed_school_week": 2, "exclusion": 2, "stop_search": 2, "older_associate": 3,
        "missing": 3, "missing_episode": 3, "school_incident": 1, "police_incident": 1,
        "online": 2, "weapon": 3, "violence": 2, "exploitation": 3,
        # Graded intelligence linked to the child, by its assessment (docs/intelligence.md):
        # an item suspected false (E) adds nothing.
        "intelligence_a": 3, "intelligence_b": 2, "intelligence_c": 2, "intelligence_d": 1,
        "intelligence_e": 0,
    },
}
# What is known about a child (the child's page only; docs/pathway.md): each indicator's
# weight, how far back it counts, and which records it takes. A transparent sum of what the
# viewer may see, never a label or a band, and nothing acts on it by itself.
CASES_KNOWN_RISK_INDICATORS = {
    "missing": {"label": "Missing episode", "weight": 3, "window_days": 90,
                "event_types": ["missing_episode"]},
    "exclusion": {"label": "School exclusion", "weight": 2, "window_days": 365,
                  "event_types": ["school_incident"], "categories": ["exclusion"]},
    "ed_attendance": {"label": "Emergency department assault attendance", "weight": 2,
                      "window_days": 365, "event_types": ["ed_assault"]},
    "police_contact": {"label": "Police contact (incident or stop and search)", "weight": 1,
                       "window_days": 365, "event_types": ["police_incident", "stop_search"]},
    "group_tie": {"label": "Tie to someone in a group under an open group case", "weight": 3,
                  "window_days": 365, "ties": True},
}
# Who triages, oversees and approves: duties in ACCESS_ROLE_RULES.
# Assessment text autosaves this long after the practitioner stops typing.
CASES_AUTOSAVE_DELAY = os.environ.get("SAFEROPTIONS_CASES_AUTOSAVE_DELAY", "1s")
CASES_CHRONOLOGY_PAGE_SIZE = env_int("SAFEROPTIONS_CHRONOLOGY_PAGE_SIZE", 500)
