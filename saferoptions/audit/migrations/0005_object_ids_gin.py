"""On PostgreSQL, index the object ids so a child's access log is found without a scan."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS audit_entry_object_ids_gin "
            "ON audit_auditentry USING gin (object_ids jsonb_path_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS audit_entry_object_ids_gin")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_actions_for_governance")]

    operations = [migrations.RunPython(forwards, backwards)]
