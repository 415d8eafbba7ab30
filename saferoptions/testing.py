"""A pytest plugin loaded before Django reads its settings (`-p saferoptions.testing`).

It marks the process as a test run, which is the one place the development secret key is
accepted besides debug.
"""

import os

os.environ.setdefault("SAFEROPTIONS_TESTING", "1")
