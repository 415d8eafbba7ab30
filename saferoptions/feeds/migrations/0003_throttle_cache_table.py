"""The table of the `throttle` cache (Django's database cache), which the partner API's throttles
count in: made here so `migrate` (and so `make demo` and every test database) has it."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations

DEFAULT_TABLE = "saferoptions_throttle_cache"


def _table() -> str:
    return settings.CACHES.get("throttle", {}).get("LOCATION", DEFAULT_TABLE)


def create_table(apps, schema_editor):
    # createcachetable does nothing if the table is already there.
    call_command("createcachetable", _table(), database=schema_editor.connection.alias,
                 verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(_table())}")


class Migration(migrations.Migration):
    dependencies = [("feeds", "0002_created_at_from_the_clock")]

    operations = [migrations.RunPython(create_table, drop_table)]
