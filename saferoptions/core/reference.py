"""Bristol's reference data: localities, wards and the partner agencies and their teams.

Loaded by a data migration; after that it is edited in Django admin. Ward centres are
approximate and used only to place the synthetic city.
"""

LOCALITIES = [("North", "north"), ("East Central", "east-central"), ("South", "south")]

# (name, code, locality slug, latitude, longitude)
WARDS = [
    ("Avonmouth & Lawrence Weston", "BW01", "north", 51.507, -2.675),
    ("Henbury & Brentry", "BW02", "north", 51.508, -2.617),
    ("Southmead", "BW03", "north", 51.497, -2.595),
    ("Horfield", "BW04", "north", 51.489, -2.585),
    ("Lockleaze", "BW05", "north", 51.487, -2.561),
    ("Frome Vale", "BW06", "north", 51.482, -2.527),
    ("Hillfields", "BW07", "north", 51.474, -2.524),
    ("Stoke Bishop", "BW08", "north", 51.483, -2.632),
    ("Westbury-on-Trym & Henleaze", "BW09", "north", 51.492, -2.612),
    ("Bishopston & Ashley Down", "BW10", "north", 51.478, -2.590),
    ("Redland", "BW11", "north", 51.471, -2.604),
    ("Cotham", "BW12", "north", 51.464, -2.600),
    ("Clifton Down", "BW13", "north", 51.468, -2.618),
    ("Ashley", "BW14", "east-central", 51.466, -2.585),
    ("Central", "BW15", "east-central", 51.455, -2.593),
    ("Clifton", "BW16", "east-central", 51.456, -2.620),
    ("Easton", "BW17", "east-central", 51.462, -2.565),
    ("Eastville", "BW18", "east-central", 51.472, -2.555),
    ("Hotwells & Harbourside", "BW19", "east-central", 51.449, -2.614),
    ("Lawrence Hill", "BW20", "east-central", 51.457, -2.573),
    ("St George Central", "BW21", "east-central", 51.461, -2.532),
    ("St George Troopers Hill", "BW22", "east-central", 51.452, -2.538),
    ("St George West", "BW23", "east-central", 51.459, -2.551),
    ("Bedminster", "BW24", "south", 51.437, -2.600),
    ("Bishopsworth", "BW25", "south", 51.418, -2.620),
    ("Brislington East", "BW26", "south", 51.435, -2.535),
    ("Brislington West", "BW27", "south", 51.440, -2.560),
    ("Filwood", "BW28", "south", 51.420, -2.583),
    ("Hartcliffe & Withywood", "BW29", "south", 51.408, -2.605),
    ("Hengrove & Whitchurch Park", "BW30", "south", 51.409, -2.570),
    ("Knowle", "BW31", "south", 51.428, -2.570),
    ("Southville", "BW32", "south", 51.444, -2.605),
    ("Stockwood", "BW33", "south", 51.412, -2.545),
    ("Windmill Hill", "BW34", "south", 51.435, -2.585),
]

# Bristol's postcode districts and the locality that serves each (where a district straddles
# two localities, the one holding most of it).
POSTCODE_DISTRICTS = {
    "BS1": "east-central", "BS2": "east-central", "BS3": "south", "BS4": "south",
    "BS5": "east-central", "BS6": "north", "BS7": "north", "BS8": "east-central",
    "BS9": "north", "BS10": "north", "BS11": "north", "BS13": "south", "BS14": "south",
    "BS15": "east-central", "BS16": "north",
}

# (name, slug, kind, is_statutory)
AGENCIES = [
    ("Avon and Somerset Police", "police", "police", True),
    ("Children's Social Care", "social-care", "social_care", True),
    ("Early Help (Families in Focus)", "early-help", "early_help", True),
    ("Schools and Education Inclusion", "education", "education", True),
    ("Hospital Emergency Department", "hospital-ed", "hospital_ed", True),
    ("Other Health Services", "health", "health", True),
    ("Housing", "housing", "housing", False),
    ("Licensing", "licensing", "licensing", False),
    ("Community Safety", "community-safety", "community_safety", False),
    ("Youth Services", "youth-services", "youth_services", False),
    ("Barnardo's", "barnardos", "barnardos", False),
    ("Other Voluntary Sector", "voluntary", "voluntary", False),
    ("Community Members", "community", "community", False),
]

# (name, slug, agency slug, locality slug or None for city-wide)
TEAMS = [
    ("Safer Options Hub", "hub", "social-care", None),
    ("Social Care North", "social-care-north", "social-care", "north"),
    ("Social Care East Central", "social-care-east-central", "social-care", "east-central"),
    ("Social Care South", "social-care-south", "social-care", "south"),
    ("Families in Focus North", "early-help-north", "early-help", "north"),
    ("Families in Focus East Central", "early-help-east-central", "early-help", "east-central"),
    ("Families in Focus South", "early-help-south", "early-help", "south"),
    ("Barnardo's BASE & ROUTES", "barnardos-base-routes", "barnardos", None),
    ("Police Violence Reduction", "police-violence-reduction", "police", None),
    ("Police Missing Persons", "police-missing", "police", None),
    ("Police Exploitation", "police-exploitation", "police", None),
    ("Education Inclusion", "education-inclusion", "education", None),
    ("Emergency Department", "hospital-ed", "hospital-ed", None),
    ("Clinical Psychology", "clinical-psychology", "health", None),
    ("Housing Safeguarding", "housing", "housing", None),
    ("Licensing", "licensing", "licensing", None),
    ("Community Safety", "community-safety", "community-safety", None),
    ("Detached Youth Work", "youth-detached", "youth-services", None),
    ("Strategy and Intelligence", "strategy", "community-safety", None),
    ("Information Governance", "information-governance", "social-care", None),
]


def load(apps) -> None:
    """Create or refresh the reference rows (safe to run twice)."""
    Locality = apps.get_model("core", "Locality")
    Ward = apps.get_model("core", "Ward")
    Agency = apps.get_model("core", "Agency")
    Team = apps.get_model("core", "Team")
    localities = {}
    for name, slug in LOCALITIES:
        localities[slug], _ = Locality.objects.update_or_create(slug=slug, defaults={"name": name})
    for name, code, loc, lat, lng in WARDS:
        Ward.objects.update_or_create(
            code=code,
            defaults={"name": name, "locality": localities[loc], "latitude": lat, "longitude": lng},
        )
    _load_districts(apps, localities)
    agencies = {}
    for name, slug, kind, statutory in AGENCIES:
        agencies[slug], _ = Agency.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "is_statutory": statutory}
        )
    for name, slug, agency, loc in TEAMS:
        Team.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "agency": agencies[agency],
                "locality": localities.get(loc) if loc else None,
            },
        )


def _load_districts(apps, localities) -> None:
    try:
        PostcodeDistrict = apps.get_model("core", "PostcodeDistrict")
    except LookupError:  # an earlier migration's state, before districts existed
        return
    for code, loc in POSTCODE_DISTRICTS.items():
        PostcodeDistrict.objects.update_or_create(
            outward_code=code, defaults={"locality": localities[loc]}
        )
