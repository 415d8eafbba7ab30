"""Interventions (docs/interventions.md): the young person's and parent's feedback
link: how long it lasts and how often one address may try it.

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
