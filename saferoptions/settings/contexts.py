"""Contexts (docs/contexts.md): H3 cells, peer-group ties and groups, small-number
suppression on context pages, hot spots, the city's box, place matching, and outcome
measures.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

import os

from .base import env_bool, env_int
from .governance import SMALL_NUMBER_THRESHOLD

# H3 resolution 9 cells are about 0.1 km2: a street or a park, small enough to target outreach.
H3_RESOLUTION = env_int("SAFEROPTIONS_H3_RESOLUTION", 9)
# Peer groups (docs/analytics.md, docs/contexts.md): how much one link of each kind adds to a tie.
CONTEXTS_TIE_WEIGHTS = {"co_involvement": 1.0, "association": 2.0, "intelligence": 1.0}
# Older links count for less when set (days for a link to lose half its weight); None: off.
CONTEXTS_RECENCY_HALF_LIFE_DAYS = None
# A crowd at one incident is not a peer group: larger events create no ties.
CONTEXTS_MAX_EVENT_SIZE = env_int("SAFEROPTIONS_CONTEXTS_MAX_EVENT_SIZE", 10)
CONTEXTS_GROUP_RESOLUTION = float(os.environ.get("SAFEROPTIONS_CONTEXTS_GROUP_RESOLUTION", "2.0"))
CONTEXTS_MIN_GROUP_SIZE = env_int("SAFEROPTIONS_CONTEXTS_MIN_GROUP_SIZE", 3)
# Finding groups takes about 0.3 s for the demo city; a large city runs it in the worker.
CONTEXTS_GROUPS_IN_BACKGROUND = env_bool("SAFEROPTIONS_CONTEXTS_GROUPS_IN_BACKGROUND", False)
# Counts of people or events below this are shown as "<n" on context and hot-spot pages.
CONTEXTS_SUPPRESSION_THRESHOLD = SMALL_NUMBER_THRESHOLD
# Hot spots: Getis-Ord Gi* over H3 cells; k rings of neighbours; false discovery rate at alpha.
CONTEXTS_HOTSPOT_K = env_int("SAFEROPTIONS_CONTEXTS_HOTSPOT_K", 1)
CONTEXTS_HOTSPOT_ALPHA = float(os.environ.get("SAFEROPTIONS_CONTEXTS_HOTSPOT_ALPHA", "0.05"))
CONTEXTS_HOTSPOT_CORRECTION = "fdr_bh"
CONTEXTS_HOTSPOT_EVENT_TYPES = ["ed_assault", "police_incident"]
# The city's box (degrees): places and hot-spot events must fall inside it.
CONTEXTS_CITY_BOX = {"min_lat": 51.39, "min_lng": -2.73, "max_lat": 51.55, "max_lng": -2.50}
# A map background from a tile server is off: maps are drawn from our own data. A URL here
# (e.g. a partner's own tile server) is shown as a link only; nothing is fetched at run time.
CONTEXTS_TILE_SERVER_URL = os.environ.get("SAFEROPTIONS_CONTEXTS_TILE_SERVER_URL", "")
# Hospital free-text locations: resolved when the best place scores this (0-100) and beats the
# next place by the margin; otherwise listed for a person to resolve.
CONTEXTS_PLACE_MATCH_THRESHOLD = float(os.environ.get("SAFEROPTIONS_PLACE_MATCH_THRESHOLD", "80"))
CONTEXTS_PLACE_MATCH_MARGIN = float(os.environ.get("SAFEROPTIONS_PLACE_MATCH_MARGIN", "5"))
# Outcome measures for a context: equal windows before and after the case opened (days), and
# which events count as concerns (by type, or by concern category).
CONTEXTS_OUTCOME_WINDOW_DAYS = env_int("SAFEROPTIONS_CONTEXTS_OUTCOME_WINDOW_DAYS", 90)
# No rate or trend is claimed until the case has been open this many days.
CONTEXTS_OUTCOME_MIN_DAYS = env_int("SAFEROPTIONS_CONTEXTS_OUTCOME_MIN_DAYS", 30)
CONTEXTS_CONCERN_EVENT_TYPES = ["community_concern", "licensing_report"]
CONTEXTS_CONCERN_CATEGORIES = ["exploitation", "sexual_exploitation", "weapon", "knife"]
# Who runs, views, refers and analyses context cases: duties in ACCESS_ROLE_RULES.
