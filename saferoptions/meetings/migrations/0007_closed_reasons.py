"""A closed meeting keeps each item's number and reasons as they stood when it closed.

Meetings closed before this change never had them written: they are computed here, at
migration time, from the sources as they stand now (a deadline met since the meeting is
already gone from them, and cannot be recovered). That is still better than what the minutes
did before, which was to read them afresh every day. The current ordering code is used,
because the reasons are the words that code writes; it reads only the item's sources.
"""

from django.db import migrations, models


def keep_closed_reasons(apps, schema_editor):
    from saferoptions.meetings import services
    from saferoptions.meetings.models import LocalityMeeting

    for meeting in LocalityMeeting.objects.filter(status="closed").iterator():
        services.keep_reasons(meeting)


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0006_invited_because"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="closed_number",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="closed_reasons",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(keep_closed_reasons, migrations.RunPython.noop),
    ]
