"""A flushed database gets its reference data, task rules and retention schedule back."""

import pytest
from django.core.management import call_command

from saferoptions.core.models import Locality, Ward
from saferoptions.governance.models import RetentionRule
from saferoptions.tasks.models import TaskRule


@pytest.mark.django_db(transaction=True)
def test_flush_restores_what_data_migrations_loaded():
    call_command("flush", interactive=False, verbosity=0)
    assert Locality.objects.count() == 3
    assert Ward.objects.count() == 34
    assert TaskRule.objects.exists()
    assert RetentionRule.objects.exists()
