"""The synthetic city (the demo): demo caseloads, and where the ground truth is kept.

Settings load once, when a process starts: a change applies after the web and worker
processes restart.
"""

import os
from pathlib import Path

from .base import VAR_DIR, env_int

# Ground truth lives outside the application database, where no screen or API can read it.
# How many children each demo practitioner works with in the demo city.
DEMO_CASELOAD_SIZE = env_int("SAFEROPTIONS_DEMO_CASELOAD_SIZE", 15)
EVALUATION_DIR = Path(os.environ.get("SAFEROPTIONS_EVALUATION_DIR", VAR_DIR / "evaluation"))
