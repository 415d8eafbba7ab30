"""A pytest plugin loaded before Django reads its settings (`-p saferoptions.testing`).

It marks the process as a test run, which is the one place the development secret key is
accepted besides debug, and it can run the suite as if on another date:
`SAFEROPTIONS_SUITE_NOW=2026-12-31T23:59 make test` shifts the project's clock (`core.clock`)
by an offset that keeps running, so every test sees that moment as "now" (docs/architecture.md).
"""

import os

from saferoptions.core import clock

os.environ.setdefault("SAFEROPTIONS_TESTING", "1")

try:
    from hypothesis import settings as hypothesis_settings
except ImportError:  # the test extra is not installed: no property tests to configure
    hypothesis_settings = None

if hypothesis_settings is not None:
    # CI must give the same answer for the same commit: property tests run a fixed sequence of
    # examples. SAFEROPTIONS_HYPOTHESIS=explore draws new ones each run, to hunt for bugs.
    hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
    hypothesis_settings.register_profile("explore", derandomize=False)
    hypothesis_settings.load_profile(os.environ.get("SAFEROPTIONS_HYPOTHESIS", "ci"))

# Each process (the controller and every xdist worker) loads this plugin, so each shifts its own
# clock to the same moment.
SUITE_NOW = clock.run_from_environment()


def pytest_report_header(config):
    if SUITE_NOW is not None:
        return f"saferoptions: the suite runs as if it were {SUITE_NOW.isoformat()} (running clock)"
    return None
