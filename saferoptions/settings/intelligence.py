"""Intelligence (docs/intelligence.md): page and text sizes, the community page's
limit and address key, and matching without revealing identities (the PPRL key,
which agencies may report, how long encoded reports are kept).

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

import hmac
import os

from .base import env_int
from .security import SECRET_KEY

# Submissions, 3x5x2 grading, sanitised sharing and the community page (docs/intelligence.md).
INTELLIGENCE_PAGE_SIZE = env_int("SAFEROPTIONS_INTELLIGENCE_PAGE_SIZE", 50)
INTELLIGENCE_MAX_TEXT = env_int("SAFEROPTIONS_INTELLIGENCE_MAX_TEXT", 5000)
# The public page: at most this many reports from one address per window (seconds), counted in
# the shared `throttle` cache under a keyed hash of the address, which expires with the window.
INTELLIGENCE_COMMUNITY_LIMIT = env_int("SAFEROPTIONS_INTELLIGENCE_COMMUNITY_LIMIT", 5)
INTELLIGENCE_COMMUNITY_WINDOW_SECONDS = env_int("SAFEROPTIONS_INTELLIGENCE_COMMUNITY_WINDOW", 600)
# The key for hashing addresses; its own value lets it rotate apart from SECRET_KEY.
INTELLIGENCE_ADDRESS_KEY = os.environ.get("SAFEROPTIONS_INTELLIGENCE_ADDRESS_KEY", SECRET_KEY)
# Matching without revealing identities: the partnership's key for the keyed Bloom filters
# (given to partners who encode on their side; a change means re-encoding), derived from the
# secret key unless set; agencies of these kinds may report a worry; encoded reports are kept
# this many days (0: deleted once checked); the in-memory index is rebuilt after this long.
SAFEROPTIONS_PPRL_KEY = os.environ.get("SAFEROPTIONS_PPRL_KEY") or hmac.new(
    SECRET_KEY.encode(), b"saferoptions-pprl", "sha256").hexdigest()
INTELLIGENCE_PPRL_AGENCY_KINDS = ("business", "community", "voluntary", "licensing", "housing",
                                  "community_safety")
INTELLIGENCE_PPRL_KEEP_DAYS = env_int("SAFEROPTIONS_INTELLIGENCE_PPRL_KEEP_DAYS", 0)
INTELLIGENCE_PPRL_INDEX_SECONDS = env_int("SAFEROPTIONS_INTELLIGENCE_PPRL_INDEX_SECONDS", 300)
# An encoding waiting for the worker's check whose job never succeeded (django-q2 retries a
# failed one, max_attempts) is deleted after this many hours.
INTELLIGENCE_PPRL_CHECK_HOURS = env_int("SAFEROPTIONS_INTELLIGENCE_PPRL_CHECK_HOURS", 24)
