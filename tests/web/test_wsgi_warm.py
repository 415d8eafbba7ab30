"""A web worker loads every route's views as it starts, so nobody's first page in a fresh
worker waits seconds for imports (gunicorn renews its workers every couple of thousand
requests)."""

import os
import subprocess
import sys

PROBE = ("import sys, saferoptions.wsgi; "
         "print('saferoptions.dashboards.forecast_views' in sys.modules)")


def test_the_wsgi_application_starts_with_every_view_loaded():
    env = {**os.environ, "DJANGO_SECRET_KEY": "test-only-key", "SAFEROPTIONS_TESTING": "1"}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,  # noqa: S603 - our own interpreter and probe
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "True"
