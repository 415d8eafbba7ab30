"""Load the strategy's programmes that take referrals, their providers and their areas."""

from django.db import migrations


def forwards(apps, schema_editor):
    from saferoptions.interventions import seed

    seed.load(apps)


class Migration(migrations.Migration):
    dependencies = [("interventions", "0001_initial"), ("core", "0004_load_postcode_districts")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
