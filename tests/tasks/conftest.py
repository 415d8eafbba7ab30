import pytest


@pytest.fixture(autouse=True)
def _email_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
