"""The partnership's first task rules (issue 4), loaded by a data migration.

After loading, rules are data: a change is a new version row, so every task records which
version of which rule made it. Team slugs are those in `core.reference.TEAMS`.
"""

RULES = [
    {
        "slug": "ed-knife-rapid-response",
        "name": "Hospital rapid response after a knife or sharp object assault",
        "description": "A young person aged 24 or under attends the emergency department after "
        "an assault with a knife or sharp object: Barnardo's see them within 24 hours.",
        "event_types": ["ed_assault"],
        "conditions": {"all": [{"fact": "category", "eq": "knife"}, {"fact": "age", "lte": 24}]},
        "scope": "event", "task_type": "hospital_rapid_response",
        "team_slug": "barnardos-base-routes", "sla_hours": 24,
    },
    {
        "slug": "school-weapon-or-drugs",
        "name": "Risk assessment after a weapon or drugs incident in school",
        "description": "A weapon, knife or drugs incident in school: the Education Inclusion "
        "Manager completes a risk assessment within 24 hours.",
        "event_types": ["school_incident"],
        "conditions": {"fact": "category", "in": ["weapon", "knife", "drugs"]},
        "scope": "event", "task_type": "risk_assessment",
        "team_slug": "education-inclusion", "sla_hours": 24,
    },
    {
        "slug": "return-home-interview",
        "name": "Return home interview after a missing episode",
        "description": "A child returns from a missing episode: the early help team for the "
        "locality where the episode was reported offers a return home interview within 72 "
        "hours (statutory guidance). With no known place, the Hub allocates it.",
        "event_types": ["missing_episode"],
        "conditions": {"fact": "returned", "eq": True},
        "scope": "event", "task_type": "return_home_interview",
        "team_slug": "early-help-{locality}", "fallback_team_slug": "hub", "sla_hours": 72,
    },
    {
        "slug": "missing-three-in-ninety-days",
        "name": "Hub triage: three missing episodes in 90 days",
        "description": "A child has gone missing three times in 90 days: the Hub triages them "
        "and takes them to the locality meeting.",
        "event_types": ["missing_episode"],
        "conditions": {"history": {"event_types": ["missing_episode"], "within_days": 90,
                                   "at_least": 3}},
        "scope": "person", "window_days": 90, "task_type": "hub_triage",
        "team_slug": "hub", "sla_working_days": 1,
    },
    {
        "slug": "exclusion-and-police-contact",
        "name": "Hub triage: an exclusion and a police contact within 30 days",
        "description": "A child has been excluded from school and has had contact with the "
        "police within 30 days: the Hub triages them and takes them to the locality meeting.",
        "event_types": ["school_incident", "police_incident", "stop_search"],
        "conditions": {"all": [
            {"history": {"event_types": ["school_incident"], "categories": ["exclusion"],
                         "within_days": 30, "at_least": 1}},
            {"history": {"event_types": ["police_incident", "stop_search"],
                         "within_days": 30, "at_least": 1}},
        ]},
        "scope": "person", "window_days": 30, "task_type": "hub_triage",
        "team_slug": "hub", "sla_working_days": 1,
    },
    {
        "slug": "community-concern-place-review",
        "name": "Place review after a community concern",
        "description": "A community member raises a concern about a place: the Hub opens a "
        "place review (one per place in 30 days) within 5 working days.",
        "event_types": ["community_concern"],
        "conditions": {"fact": "has_place", "eq": True},
        "scope": "place", "window_days": 30, "task_type": "place_review",
        "team_slug": "hub", "sla_working_days": 5,
    },
]

SCHEDULES = [
    ("Escalate task clocks", "saferoptions.tasks.tasks.escalate_due_tasks"),
    ("Sweep the feeds inbox", "saferoptions.feeds.tasks.sweep_inbox"),
]


def load(apps) -> None:
    """Create version 1 of each rule and the minute-by-minute schedules (safe to run twice)."""
    TaskRule = apps.get_model("tasks", "TaskRule")
    for rule in RULES:
        TaskRule.objects.get_or_create(slug=rule["slug"], version=1, defaults=rule)
    Schedule = apps.get_model("django_q", "Schedule")
    for name, func in SCHEDULES:
        Schedule.objects.get_or_create(
            name=name, defaults={"func": func, "schedule_type": "I", "minutes": 1, "repeats": -1}
        )
