"""Tasks: when a task turns amber, how often the worker re-reads rules and teams, and how
often the live inbox refreshes.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

import os

from .base import TESTING, env_int

# A task turns amber when this share of its time has gone, and red at breach.
TASK_AMBER_SHARE = float(os.environ.get("SAFEROPTIONS_TASK_AMBER_SHARE", "0.75"))
# Rules and teams are re-read by the worker this often (seconds): a rule change applies
# within this time, without a query per event.
TASKS_REFERENCE_CACHE_SECONDS = float(
    os.environ.get("SAFEROPTIONS_TASKS_CACHE_SECONDS", "0" if TESTING else "5")
)
# How often the live task inbox refreshes itself (seconds).
TASKS_REFRESH_SECONDS = env_int("SAFEROPTIONS_TASKS_REFRESH_SECONDS", 5)
# A member of a task's team works with the task's child (the access policy's direct work,
# docs/access-policy.md) while the task is open and for this many days after it is done, so
# the follow-up (a call back, the outcome corrected) can still see whom it is about. Read at
# start-up: a change applies after the web and worker processes restart.
TASKS_ACCESS_DAYS_AFTER = env_int("SAFEROPTIONS_TASKS_ACCESS_DAYS_AFTER", 30)
