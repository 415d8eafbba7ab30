"""A concern's reference for its referrer: random, not the row's id (which shows volume)."""

import secrets

from django.db import migrations, models

import saferoptions.cases.models.triage

ALPHABET = "ABCDEFGHJKLMNPQRTUVWXY346789"


def give_references(apps, schema_editor):
    """Concerns raised before this change get a random reference of their own."""
    concern_model = apps.get_model("cases", "Concern")
    taken: set[str] = set()
    for concern in concern_model.objects.filter(reference__isnull=True).only("pk").iterator():
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
            reference = f"C-{code[:4]}-{code[4:]}"
            if reference not in taken:
                break
        taken.add(reference)
        concern_model.objects.filter(pk=concern.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_corrections_and_withdrawals")]

    operations = [
        migrations.AddField(
            model_name="concern", name="reference",
            field=models.CharField(max_length=16, null=True, editable=False),
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="concern", name="reference",
            field=models.CharField(
                default=saferoptions.cases.models.triage.new_concern_reference, editable=False,
                max_length=16, unique=True,
            ),
        ),
    ]
