"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferoptions.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Load every route's views (and with them pandas, statsmodels...) as the process starts,
    not on its first request: a fresh web worker's first page took 2-4 s more, 3 s of it
    importing, and gunicorn renews its workers every couple of thousand requests."""
    from django.urls import get_resolver  # noqa: PLC0415 after the settings are set

    get_resolver().url_patterns  # noqa: B018 resolving the URLconf imports every view


_warm()
