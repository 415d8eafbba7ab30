"""Load Bristol's localities, wards, partner agencies and teams."""

from django.db import migrations


def load(apps, schema_editor):
    from saferoptions.core import reference

    reference.load(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
