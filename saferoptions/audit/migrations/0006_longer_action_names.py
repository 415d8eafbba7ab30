"""Room for longer action names (e.g. "refer_without_consent"), keeping the table append-only.

SQLite alters a column by rebuilding the table, which drops its triggers: they are installed
again straight after, in the same migration.
"""

from django.db import migrations, models

from saferoptions.audit import append_only


def reinstall_triggers(apps, schema_editor):
    append_only.install(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_object_ids_gin'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('view', 'Viewed'), ('list', 'Listed'), ('search', 'Searched'), ('export', 'Exported'), ('create', 'Created'), ('update', 'Changed'), ('delete', 'Deleted'), ('deny', 'Denied'), ('break_glass', 'Break-glass access'), ('sign_in', 'Signed in'), ('sign_in_failed', 'Sign-in failed'), ('sign_out', 'Signed out'), ('legal_hold', 'Legal hold placed'), ('release_hold', 'Legal hold released'), ('dispose', 'Disposed of')], max_length=60),
        ),
        migrations.RunPython(reinstall_triggers, reinstall_triggers),
    ]
