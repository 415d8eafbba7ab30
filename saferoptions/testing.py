"""A pytest plugin loaded before Django reads its settings (`-p saferoptions.testing`).

It marks the process as a test run, which is the one place the development secret key is
accepted besides debug.
"""

import os

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
