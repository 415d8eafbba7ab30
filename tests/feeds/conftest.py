import pytest
from django.core import mail
from django.core.cache import caches

from saferoptions.core.models import RateCount


@pytest.fixture
def mail_outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture(autouse=True)
def fresh_throttle_counts(request):
    """Every test starts with no throttle counts: a count left over by a transactional test
    would slow the next test."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:  # only a test database may be touched
        request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction")
                                else "db")
        RateCount.objects.all().delete()
        caches["throttle"].clear()
    yield
