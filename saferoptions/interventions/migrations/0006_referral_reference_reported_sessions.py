"""Each referral gets a random public reference the provider quotes when it reports sessions
and outcomes through the partner API or a file; a session can be reported by a system (no
user) under the provider's own reference."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def give_references(apps, schema_editor):
    # One random reference each: a default on AddField would give every row the same one.
    Referral = apps.get_model("interventions", "Referral")
    for referral in Referral.objects.filter(public_id=None).only("pk").iterator():
        Referral.objects.filter(pk=referral.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("interventions", "0005_workforce_outreach_formulation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="referral",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="session",
            name="recorded_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="session",
            name="source_reference",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="session",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source_reference", ""), _negated=True),
                fields=("referral", "source_reference"), name="session_once_per_reference"),
        ),
    ]
