from django.db import migrations


def load(apps, schema_editor):
    from saferoptions.interventions import standing_data

    standing_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0003_outcomes_and_voice"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
