"""Partner feeds (docs/feeds.md): what a message may hold, which feeds each kind of agency
may send, and how the worker takes, retries and sweeps messages.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

from .base import env_int

# Partners' clocks drift: an event this many minutes "in the future" is still accepted.
FEEDS_FUTURE_TOLERANCE_MINUTES = env_int("SAFEROPTIONS_FEEDS_FUTURE_TOLERANCE_MINUTES", 10)
# Longest free text a feed may carry (characters); longer is refused, never truncated.
FEEDS_MAX_TEXT = env_int("SAFEROPTIONS_FEEDS_MAX_TEXT", 4000)
# Largest file the import page and command accept (bytes).
FEEDS_MAX_FILE_BYTES = env_int("SAFEROPTIONS_FEEDS_MAX_FILE_BYTES", 20 * 1024 * 1024)
# An XLSX is a ZIP: the most its parts may unpack to (bytes), so a small file cannot unpack
# to gigabytes in the web process.
FEEDS_MAX_UNPACKED_BYTES = env_int("SAFEROPTIONS_FEEDS_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
# Most data rows one file may hold: each is stored and checked while the person waits.
FEEDS_MAX_FILE_ROWS = env_int("SAFEROPTIONS_FEEDS_MAX_FILE_ROWS", 20_000)
# Most messages one API batch (POST /api/feeds/<feed>/batches/) may hold; more is refused.
FEEDS_API_BATCH_MAX = env_int("SAFEROPTIONS_FEEDS_API_BATCH_MAX", 500)
# Deepest a JSON message may nest (a feed's own shape needs 3); deeper is refused before parsing.
FEEDS_MAX_JSON_DEPTH = env_int("SAFEROPTIONS_FEEDS_MAX_JSON_DEPTH", 64)
# A received message not processed after this long is re-enqueued by the sweep (crash repair).
FEEDS_SWEEP_AFTER_SECONDS = env_int("SAFEROPTIONS_FEEDS_SWEEP_AFTER_SECONDS", 60)
PROVIDER_REPORTS = ["programme_session", "programme_outcome"]
# Which feeds each kind of agency may send, by API or file (feeds/models.py::feeds_for_agency):
# a partner system's credential and a file import are both held to it.
FEEDS_BY_AGENCY_KIND = {
    "police": ["police_incident", "stop_search", "missing_episode"],
    "social_care": ["missing_episode"],
    "hospital_ed": ["ed_assault"],
    "education": ["school_incident"],
    "housing": ["housing_report"],
    "licensing": ["licensing_report"],
    "community_safety": ["community_concern"],
    "community": ["community_concern"],
    # Programme providers (charities, youth services) report sessions and outcomes on their
    # own referrals; police and health providers use the provider's pages.
    "voluntary": ["community_concern", *PROVIDER_REPORTS],
    "youth_services": ["community_concern", *PROVIDER_REPORTS],
    "barnardos": [*PROVIDER_REPORTS],
}
# The worker takes up to this many waiting messages per transaction (one commit, one audit
# row); smaller means each task appears sooner, larger means more messages a second.
FEEDS_PROCESS_BATCH = env_int("SAFEROPTIONS_FEEDS_PROCESS_BATCH", 10)
# A message that breaks the handler this many times is quarantined for a person to look at.
FEEDS_MAX_ATTEMPTS = env_int("SAFEROPTIONS_FEEDS_MAX_ATTEMPTS", 3)
