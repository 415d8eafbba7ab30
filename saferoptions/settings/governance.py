"""Governance: small-number suppression, the retention review horizon, and the DPO's
review page size.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

from .base import env_int

SMALL_NUMBER_THRESHOLD = env_int("SAFEROPTIONS_SMALL_NUMBER_THRESHOLD", 5)
# The DPO's review screen lists records reaching their review date within this many days.
RETENTION_REVIEW_HORIZON_DAYS = env_int("SAFEROPTIONS_RETENTION_REVIEW_HORIZON_DAYS", 30)
GOVERNANCE_REVIEW_PAGE_SIZE = env_int("SAFEROPTIONS_GOVERNANCE_REVIEW_PAGE_SIZE", 50)
