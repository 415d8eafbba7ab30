"""Interventions (docs/interventions.md): the young person's and parent's feedback
link: how long it lasts and how often one address may try it; the needs a child's records show.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

from .base import env_int

# The young person's and parent's one-time feedback link (docs/interventions.md): days it lasts,
# and at most this many tries from one address per window (seconds), counted like the
# community page under a keyed hash of the address.
INTERVENTIONS_FEEDBACK_LINK_DAYS = env_int("SAFEROPTIONS_INTERVENTIONS_FEEDBACK_LINK_DAYS", 14)
INTERVENTIONS_FEEDBACK_LIMIT = env_int("SAFEROPTIONS_INTERVENTIONS_FEEDBACK_LIMIT", 10)
INTERVENTIONS_FEEDBACK_WINDOW_SECONDS = env_int("SAFEROPTIONS_INTERVENTIONS_FEEDBACK_WINDOW", 600)

# Needs the child's records show (docs/interventions.md, "Needs from the records"): need ->
# the events that show it and how far back to look. An event counts when its type is listed,
# the child's part in it is one of `roles` (none listed: any part), and its category or one of
# its objects is listed; a need is shown by `at_least` distinct events (default 1) in the last
# `days` days. Only events the viewer may see are read. Names are events.models' EventType,
# EventCategory, ObjectKind and InvolvementRole, and interventions.vocabulary's Need. Group
# periphery, peer conflict, parent support and drug dealing are left to the practitioner's
# recorded needs: no event says them (a drugs incident does not tell use from dealing).
_KNIFE = ["knife", "weapon"]
INTERVENTIONS_NEEDS_FROM_EVENTS = {
    "knife_carrying": {"days": 365, "from": [
        # Stop and search on knife or weapon grounds, or one found; the child as suspect.
        {"event_types": ["stop_search"], "roles": ["subject"], "categories": _KNIFE,
         "object_kinds": _KNIFE},
        {"event_types": ["police_incident"], "roles": ["suspect"], "categories": _KNIFE,
         "object_kinds": _KNIFE},
        {"event_types": ["school_incident"], "roles": ["pupil"], "categories": _KNIFE,
         "object_kinds": _KNIFE},
    ]},
    "serious_violence": {"days": 365, "from": [
        {"event_types": ["ed_assault"], "roles": ["patient"], "categories": ["knife", "violence"]},
        {"event_types": ["police_incident"], "roles": ["suspect"],
         "categories": ["violence", *_KNIFE]},
    ]},
    # A knife or weapon in school is grounds for exclusion, as an exclusion itself is.
    "exclusion_risk": {"days": 365, "from": [
        {"event_types": ["school_incident"], "roles": ["pupil"],
         "categories": ["exclusion", *_KNIFE]},
    ]},
    "criminal_exploitation": {"days": 365, "from": [
        {"event_types": ["police_incident", "stop_search", "missing_episode",
                         "community_concern"],
         "roles": ["victim", "suspect", "subject", "missing_person"],
         "categories": ["exploitation"]},
    ]},
    # Only viewers granted the sexual exploitation category see these events at all.
    "sexual_exploitation": {"days": 365, "from": [
        {"event_types": ["police_incident", "missing_episode", "community_concern"],
         "roles": ["victim", "subject", "missing_person"],
         "categories": ["sexual_exploitation"]},
    ]},
    "missing": {"days": 365, "from": [
        {"event_types": ["missing_episode"], "roles": ["missing_person"],
         "categories": ["missing"]},
    ]},
    "cannabis_use": {"days": 365, "from": [
        {"event_types": ["school_incident"], "roles": ["pupil"], "categories": ["drugs"],
         "object_kinds": ["drugs"]},
        {"event_types": ["stop_search"], "roles": ["subject"], "object_kinds": ["drugs"]},
        {"event_types": ["police_incident"], "roles": ["suspect"], "categories": ["drugs"]},
    ]},
}
