"""Record linkage (docs/linkage.md): the match probabilities for automatic links and
clerical review, the details a record needs, the index refresh, DuckDB's memory, and
the review and tuning pages.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

import os

from .base import env_int

# Links above the first probability are made automatically; between the two they go to a
# person in the clerical review queue; below the second, nothing. The review threshold is where
# bench.linkage's curve reaches 0.98 recall with room (docs/linkage.md, "Measured").
LINKAGE_AUTO_LINK_PROBABILITY = float(os.environ.get("SAFEROPTIONS_LINKAGE_AUTO_LINK", "0.99"))
LINKAGE_REVIEW_PROBABILITY = float(os.environ.get("SAFEROPTIONS_LINKAGE_REVIEW", "0.3"))
# A record with fewer usable details than this can only be matched by a reviewer; one without
# even a full name, or a name with a date of birth, postcode or phone, waits unmatched.
LINKAGE_MIN_DETAILS = env_int("SAFEROPTIONS_LINKAGE_MIN_DETAILS", 3)
LINKAGE_INDEX_REFRESH_SECONDS = env_int("SAFEROPTIONS_LINKAGE_INDEX_REFRESH_SECONDS", 300)
# DuckDB's memory for a batch linkage run (DuckDB's units, e.g. "4GB"); beyond it, it spills to
# a temporary folder. Empty: DuckDB's own default, 80% of the machine.
LINKAGE_MEMORY_LIMIT = os.environ.get("SAFEROPTIONS_LINKAGE_MEMORY_LIMIT", "4GB") or None
# Who reviews, merges and tunes: duties in ACCESS_ROLE_RULES (never the DPO, who oversees it).
LINKAGE_REVIEW_PAGE_SIZE = env_int("SAFEROPTIONS_LINKAGE_REVIEW_PAGE_SIZE", 50)
# The threshold read-out groups decided pairs into these match-probability bands.
LINKAGE_TUNING_BANDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0]
