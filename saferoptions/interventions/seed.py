"""The strategy's programmes that take referrals, loaded by a data migration (and after a flush).

From "The Safer Options Approach" (Intervention at every level). The strategy gives durations,
ages, localities and routes where it states them; where it is silent the rule is left open, for
the catalogue manager to set. Monthly places are demonstration figures. The twenty community
mentoring providers' names are invented. The two 24-hour responses (hospital rapid response,
weapons and drugs in schools) stay tasks and are not here. The participation strands are in the
catalogue at the participation level but take no referrals: young people and families take
part in them, recorded as participation activities (`PARTICIPATION`).
"""

ALL = None  # offered across the whole city


def _slug(name: str) -> str:
    return "mentor-" + name.lower().replace("'", "").replace(" ", "-")[:30]

LOCALITIES = ("north", "east-central", "south")

MENTORING_PROVIDERS = [
    "Ashley Youth Mentors", "Barton Hill Mentoring", "Easton Community Mentors",
    "Lawrence Weston Youth Trust", "Southmead Mentoring Project", "Knowle West Mentors",
    "Hartcliffe Youth Link", "St Pauls Community Mentors", "Lockleaze Mentoring",
    "Bedminster Youth Circle", "Horfield Young People's Trust", "Hillfields Mentoring",
    "Filwood Youth Connect", "Stockwood Mentors", "Brislington Youth Voice",
    "Eastville Community Mentoring", "Redfield Mentors Collective", "Henbury Youth Mentors",
    "Withywood Mentoring Partnership", "St George Young People's Project",
]

# Agencies the catalogue needs that the core reference data does not hold: (name, slug, kind).
AGENCIES = [
    ("Creative Youth Network", "creative-youth-network", "youth_services"),
    ("BDP (Bristol Drugs Project)", "bdp", "voluntary"),
    ("Parent-led support groups", "parent-support-groups", "voluntary"),
    *[(name, _slug(name), "voluntary")
      for name in MENTORING_PROVIDERS],
]

# Teams the catalogue needs: (name, slug, agency slug, locality slug or None).
TEAMS = [
    ("Creative Youth Network one-to-one", "cyn-one-to-one", "creative-youth-network", None),
    ("BDP New Leaf", "bdp-new-leaf", "bdp", None),
    ("Call-in Project", "police-call-in", "police", "east-central"),
    ("Bright Outlook (NHS)", "nhs-bright-outlook", "health", None),
    *[(f"Girls' group {loc.replace('-', ' ').title()}", f"girls-group-{loc}", "youth-services",
       loc) for loc in LOCALITIES],
    *[(f"Parent support group {loc.replace('-', ' ').title()}", f"parent-support-{loc}",
       "parent-support-groups", loc) for loc in LOCALITIES],
    *[(name, _slug(name), _slug(name), None) for name in MENTORING_PROVIDERS],
]

EXPLOITATION = ["criminal_exploitation", "sexual_exploitation"]

# name -> fields, provider team slugs, areas {locality slug or None: monthly places}
PROGRAMMES = {
    "One-to-one youth support (Creative Youth Network)": (
        {"level": "preventative", "works_with": "child", "min_months": 3, "max_months": 6,
         "offers": "Targeted, bespoke one-to-one youth support as part of the universal and "
                   "targeted youth offer."},
        ["cyn-one-to-one"], {ALL: 12}),
    "Girls' groups": (
        {"level": "preventative", "works_with": "group", "sexes": ["F"],
         "needs": ["group_periphery", *EXPLOITATION],
         "offers": "A group programme supporting girls on the periphery of groups exposed to "
                   "extra-familial harm. One in each locality."},
        [f"girls-group-{loc}" for loc in LOCALITIES], {loc: 4 for loc in LOCALITIES}),
    "Education Inclusion Workers": (
        {"level": "preventative", "works_with": "child", "routes_in": ["school"],
         "needs": [*EXPLOITATION, "exclusion_risk"],
         "offers": "Workers embedded in six secondary schools: enhanced pastoral care and "
                   "preventative work in school with young people at risk of exploitation."},
        ["education-inclusion"], {ALL: 15}),
    "Detached and in-reach youth work": (
        {"level": "preventative", "works_with": "place",
         "offers": "Youth work across the city at hot spots and areas of higher need, "
                   "including the \"pop-up\" youth club."},
        ["youth-detached"], {ALL: 8}),
    "Blunt Truth schools workshop": (
        {"level": "preventative", "works_with": "place",
         "offers": "A schools workshop with the NHS encouraging young people to speak to their "
                   "school, the police or Fearless if they know someone carrying a knife."},
        ["nhs-bright-outlook"], {ALL: 4}),
    "Bright Outlook (NHS)": (
        {"level": "preventative", "works_with": "child", "routes_in": ["school"],
         "needs": ["knife_carrying", "serious_violence"],
         "offers": "An NHS-led anti-knife crime programme with selected young people from "
                   "secondary schools."},
        ["nhs-bright-outlook"], {ALL: 10}),
    "Late-night outreach": (
        {"level": "proactive", "works_with": "place",
         "offers": "Youth work, police and social work outreach where children are exploited or "
                   "go missing, with engagement of adult street sex workers."},
        ["youth-detached", "police-exploitation"], {ALL: 6}),
    "Conflict resolution (LEAP model)": (
        {"level": "proactive", "works_with": "group", "needs": ["peer_conflict"],
         "offers": "Conflict resolution between groups of young people by trained "
                   "multi-agency professionals, coordinated by the Safer Options Hub."},
        ["hub"], {ALL: 3}),
    "BASE & ROUTES (Barnardo's)": (
        {"level": "targeted", "works_with": "child", "risk_levels": ["high"],
         "needs": EXPLOITATION,
         "offers": "Relationship-based, trauma-responsive work with young people who "
                   "experience high levels of harm in the community."},
        ["barnardos-base-routes"], {ALL: 10}),
    "Community mentoring": (
        {"level": "targeted", "works_with": "child", "min_months": 3, "max_months": 12,
         "risk_levels": ["medium", "high"], "needs": EXPLOITATION, "includes_siblings": True,
         "offers": "Community mentors from a framework of twenty providers, for young people "
                   "at medium or high risk of exploitation and their siblings."},
        None, {loc: 6 for loc in LOCALITIES}),
    "Parent support groups": (
        {"level": "targeted", "works_with": "parents", "needs": ["parent_support"],
         "offers": "Parent-led groups in each area: advice, guidance and peer support for "
                   "parents of children affected by exploitation."},
        [f"parent-support-{loc}" for loc in LOCALITIES], {loc: 8 for loc in LOCALITIES}),
    "Call-in Project": (
        {"level": "targeted", "works_with": "child", "min_age": 16, "max_age": 21,
         "routes_in": ["deferred_charge"], "needs": ["drug_dealing", "serious_violence"],
         "offers": "Deferred charging for 16 to 21 year olds in East Central arrested for "
                   "crimes related to drug dealing and serious violence."},
        ["police-call-in"], {"east-central": 5}),
    "BDP New Leaf": (
        {"level": "targeted", "works_with": "child", "needs": ["cannabis_use", "drug_dealing"],
         "routes_in": ["direct", "out_of_court_disposal"],
         "offers": "Substance misuse support for young people using or dealing cannabis; takes "
                   "out-of-court disposal referrals as well as direct ones."},
        ["bdp-new-leaf"], {ALL: 8}),
}


# The participation strands: catalogue entries that take no referrals, run by the Hub; what
# happens in them is recorded as participation activities. name -> (works with, what it is)
PARTICIPATION = {
    "Peer influencers": (
        "group", "Young people trained and supported to talk with their peers about "
                 "exploitation and violence, and to shape the partnership's work."),
    "\"It takes a village\" meetings": (
        "parents", "Meetings where parents, carers and residents share what they see in their "
                   "area and plan with the partnership how to keep children safe."),
    "Practice reviews with young people and families": (
        "group", "Young people and families who have had help tell practitioners what worked, "
                 "what did not and what should change."),
    "Research with young people": (
        "group", "Young people as co-researchers and participants in research on harm "
                 "outside the home."),
}


def load_participation(apps) -> None:
    """Add the participation strands that are missing (a manager's later edits stay)."""
    Programme = apps.get_model("interventions", "Programme")
    Provider = apps.get_model("interventions", "ProgrammeProvider")
    hub = apps.get_model("core", "Team").objects.filter(slug="hub").first()
    for name, (works_with, offers) in PARTICIPATION.items():
        programme, created = Programme.objects.get_or_create(name=name, defaults={
            "level": "participation", "works_with": works_with, "offers": offers,
            "takes_referrals": False})
        if created and hub is not None:
            Provider.objects.create(programme=programme, team=hub)


def load(apps) -> None:
    """Create or refresh the catalogue (safe to run twice; keeps a manager's later edits)."""
    Agency, Team = apps.get_model("core", "Agency"), apps.get_model("core", "Team")
    Locality = apps.get_model("core", "Locality")
    for name, slug, kind in AGENCIES:
        Agency.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    for name, slug, agency, loc in TEAMS:
        Team.objects.get_or_create(slug=slug, defaults={
            "name": name, "agency": Agency.objects.get(slug=agency),
            "locality": Locality.objects.get(slug=loc) if loc else None})
    for name, (fields, teams, areas) in PROGRAMMES.items():
        _programme(apps, name, fields, teams or [_slug(n) for n in MENTORING_PROVIDERS], areas)
    load_participation(apps)
    Programme = apps.get_model("interventions", "Programme")
    if any(f.name == "trained_in" for f in Programme._meta.get_fields()):
        set_training(apps)  # migration 0002 runs before the field exists; 0005 sets it


# The group and place programmes delivered by trained people (the workforce register).
TRAINED_IN = {
    "Detached and in-reach youth work": "detached_youth_work",
    "Late-night outreach": "late_night_outreach",
    "Conflict resolution (LEAP model)": "conflict_resolution",
}


def set_training(apps) -> None:
    """Name the training each group or place programme asks for, where none is set yet."""
    Programme = apps.get_model("interventions", "Programme")
    for name, training in TRAINED_IN.items():
        Programme.objects.filter(name=name, trained_in="").update(trained_in=training)


def _programme(apps, name, fields, teams, areas) -> None:
    Programme = apps.get_model("interventions", "Programme")
    Provider = apps.get_model("interventions", "ProgrammeProvider")
    Area = apps.get_model("interventions", "ProgrammeArea")
    Team, Locality = apps.get_model("core", "Team"), apps.get_model("core", "Locality")
    programme, created = Programme.objects.get_or_create(name=name, defaults=fields)
    if not created:
        return
    for slug in teams:
        Provider.objects.create(programme=programme, team=Team.objects.get(slug=slug))
    for loc, places in areas.items():
        locality = Locality.objects.get(slug=loc) if loc else None
        Area.objects.create(programme=programme, locality=locality, monthly_places=places)
