from django.db import migrations


def load(apps, schema_editor):
    from saferoptions.tasks import rulebook

    rulebook.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
