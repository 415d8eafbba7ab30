"""Make audit entries append-only: triggers on every database, revoked rights on PostgreSQL."""

from django.conf import settings
from django.db import migrations

from saferoptions.audit import append_only


def forwards(apps, schema_editor):
    append_only.install(schema_editor.connection)
    append_only.revoke_from(schema_editor.connection, getattr(settings, "AUDIT_APP_DB_ROLE", ""))
    # The chain head exists from the start, so the first appends never race to create it.
    apps.get_model("audit", "ChainHead").objects.get_or_create(id=1)


def backwards(apps, schema_editor):
    append_only.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
