"""Load Bristol's postcode districts with the locality that serves each."""

from django.db import migrations


def load(apps, schema_editor):
    from saferoptions.core import reference

    reference.load(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_postcode_districts")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
