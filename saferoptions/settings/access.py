"""Access (the need-to-know policy, docs/access-policy.md): the role table
ACCESS_ROLE_RULES (what each role may open, for which purposes, how widely, and its
duties), break-glass, meeting attendance windows, and the data category of each event
type.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

from .base import env_int

BREAK_GLASS_HOURS = env_int("SAFEROPTIONS_BREAK_GLASS_HOURS", 24)
# Break-glass is for emergencies, so it is never refused for being frequent (refusing could
# leave a child unprotected); a grant beyond this many by one person within the hours below is
# flagged in the review and alerts the data protection officer and the person's team managers
# at once.
BREAK_GLASS_REPEAT_LIMIT = env_int("SAFEROPTIONS_BREAK_GLASS_REPEAT_LIMIT", 3)
BREAK_GLASS_REPEAT_HOURS = env_int("SAFEROPTIONS_BREAK_GLASS_REPEAT_HOURS", 24)
# Who may open which children's records, for which purposes, and how widely (docs/access-policy.md).
# Scopes: "involvement" (team around the child, meeting attendance), "team" (anyone in the
# user's team is involved), "locality" (children of the user's locality; all if the user has
# none), "all". Categories: "agreements" (own agency's data plus information sharing
# agreements) or "all". Contexts: which context pages the role may open. Duties: what else
# the role may do (the one list of them is `access.rules.DUTIES`; pages ask
# `policy.has_duty`). The table is read from settings, which load when a process starts:
# a change applies after the web and worker processes restart.
_PRACTITIONER = {
    "purposes": {"direct_work": "involvement"},
    "break_glass": True,
    "categories": "agreements",
    "contexts": ["place", "group"],
}
# Duties every practitioner who works with children has.
_CASEWORK = ["work_with_children", "view_context_cases", "refer_places", "attend_meetings"]
_NO_RECORDS = {"purposes": {}, "break_glass": False, "categories": "agreements"}
ACCESS_ROLE_RULES = {
    # "data_quality" (clerical review, merge, split) is never implied: only pages that ask
    # for it by name get it, so it cannot widen search, lists or a child's page.
    "hub_practitioner": {
        **_PRACTITIONER, "purposes": {"direct_work": "involvement", "triage": "locality"},
        "data_quality": "all",
        "duties": [*_CASEWORK, "triage_concerns", "review_linkage", "merge_people",
                   "tune_linkage", "manage_context_cases", "analyse_contexts", "view_hotspots",
                   "resolve_locations", "chair_meetings", "view_dashboards",
                   "drill_down_dashboards", "grade_intelligence", "schedule_outreach",
                   "view_task_rules", "oversee_feeds", "resolve_quarantine",
                   "import_agency_files", "place_children"],
    },
    "social_worker": {**_PRACTITIONER, "duties": [*_CASEWORK, "import_agency_files"]},
    "early_help_worker": {**_PRACTITIONER, "duties": _CASEWORK},
    "lead_worker": {**_PRACTITIONER, "duties": _CASEWORK},
    "clinical_psychologist": {**_PRACTITIONER,
                              "duties": [*_CASEWORK, "write_case_formulation"]},
    "police_officer": {**_PRACTITIONER,
                       "duties": [*_CASEWORK, "view_hotspots", "import_agency_files"]},
    "education_inclusion_manager": {**_PRACTITIONER,
                                    "duties": [*_CASEWORK, "import_agency_files"]},
    "health_practitioner": {**_PRACTITIONER, "duties": [*_CASEWORK, "import_agency_files"]},
    "housing_officer": {**_PRACTITIONER,
                        "duties": [*_CASEWORK, "import_agency_files", "report_worries"]},
    "locality_chair": {
        **_PRACTITIONER,
        "duties": [*_CASEWORK, "oversee_cases", "manage_context_cases", "view_hotspots",
                   "chair_meetings", "view_dashboards", "drill_down_dashboards",
                   "schedule_outreach"],
    },
    "team_manager": {
        **_PRACTITIONER, "purposes": {"direct_work": "team"}, "data_quality": "all",
        "duties": [*_CASEWORK, "allocate_within_team", "oversee_cases", "approve_assessments",
                   "review_break_glass", "review_linkage", "merge_people", "tune_linkage",
                   "manage_context_cases", "analyse_contexts", "view_hotspots",
                   "chair_meetings", "view_task_rules", "oversee_feeds"],
    },
    "data_protection_officer": {
        "purposes": {"subject_access": "all", "audit": "all"},
        "break_glass": False,
        "categories": "all",
        "contexts": [],
        "duties": ["review_break_glass", "review_consent_overrides", "review_handling_changes",
                   "review_retention", "search_audit", "approve_agreements",
                   "approve_account_changes"],
    },
    # Places only: they report concerns about premises, never see children's records.
    "licensing_officer": {**_NO_RECORDS, "contexts": ["place"],
                          "duties": ["refer_places", "view_hotspots", "import_agency_files",
                                     "report_worries"]},
    "community_member": {**_NO_RECORDS, "contexts": ["place"],
                         "duties": ["refer_places", "report_worries"]},
    # Aggregates only (through small-number suppression), never an identifiable record.
    "strategic_lead": {**_NO_RECORDS, "contexts": ["place", "group"],
                       "duties": ["view_context_cases", "refer_places", "analyse_contexts",
                                  "view_hotspots", "view_dashboards", "oversee_feeds"]},
    "analyst": {**_NO_RECORDS, "contexts": ["place", "group"],
                "duties": ["view_context_cases", "refer_places", "analyse_contexts",
                           "view_hotspots", "tune_linkage", "resolve_locations",
                           "view_dashboards", "read_api_docs"]},
    # Configuration only: partner systems' credentials, reference data, accounts and
    # agreements' proposals, never a record.
    "system_administrator": {**_NO_RECORDS, "contexts": [],
                             "duties": ["administer_partner_systems", "administer_reference_data",
                                        "read_api_docs", "view_task_rules", "oversee_feeds",
                                        "import_agency_files", "propose_agreements",
                                        "manage_accounts", "approve_account_changes"]},
    # The interventions catalogue only (programmes, providers, places): never a record.
    "catalogue_manager": {**_NO_RECORDS, "contexts": [],
                          "duties": ["manage_catalogue", "manage_workforce", "schedule_outreach"]},
}
# Meeting attendance gives access from this many days before the meeting to this many after.
ACCESS_MEETING_DAYS_BEFORE = env_int("SAFEROPTIONS_MEETING_ACCESS_DAYS_BEFORE", 7)
ACCESS_MEETING_DAYS_AFTER = env_int("SAFEROPTIONS_MEETING_ACCESS_DAYS_AFTER", 28)
# The data category of each event type; a concern category below overrides it.
ACCESS_EVENT_TYPE_CATEGORIES = {
    "police_incident": "police_incidents",
    "stop_search": "police_incidents",
    "missing_episode": "missing",
    "ed_assault": "health",
    "school_incident": "education",
    "housing_report": "housing",
    "licensing_report": "community",
    "community_concern": "community",
    # Not events: a programme provider's sessions and outcomes (the worker's words) are case work.
    "programme_session": "case_records",
    "programme_outcome": "case_records",
}
ACCESS_EVENT_CATEGORY_OVERRIDES = {"sexual_exploitation": "sexual_exploitation"}
# The child page shows the most recent events; the chronology shows them all.
ACCESS_CHILD_PAGE_EVENTS = env_int("SAFEROPTIONS_CHILD_PAGE_EVENTS", 100)
