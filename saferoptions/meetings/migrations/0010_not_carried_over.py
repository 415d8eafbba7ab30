"""A closed meeting keeps its list of what was not carried over from the meeting before.

The list was worked out whenever the page was read, so a closed meeting's list followed later
days. Closing now writes it (services.keep_not_carried). Meetings closed before this change
have theirs worked out here, from the records as they stand on migration day (the same words
the agenda writes, copied so that this migration does not change when that code does).
"""

import django.db.models.deletion
from django.db import migrations, models

NOT_CARRIED = {
    "concerns": "its concerns have been decided or withdrawn",
    "tasks": "its tasks are done or closed",
    "clocks": "its statutory deadlines are met",
    "context_cases": "its case is closed",
    "intelligence_links": "its intelligence no longer weighs anything",
}
NOTHING = "nothing about it is open or overdue now"


def _subject_key(item) -> str:
    for prefix, value in (("person", item.person_id), ("group", item.group_id),
                          ("place", item.place_id)):
        if value:
            return f"{prefix}:{value}"
    return item.key


def keep_not_carried(apps, schema_editor):
    meetings = apps.get_model("meetings", "LocalityMeeting")
    items = apps.get_model("meetings", "AgendaItem")
    rows = apps.get_model("meetings", "NotCarriedOver")
    for meeting in meetings.objects.filter(status="closed").order_by("pk").iterator():
        previous = (meetings.objects.filter(locality_id=meeting.locality_id,
                                            held_on__lt=meeting.held_on)
                    .order_by("-held_on").first())
        if previous is None:
            continue
        here = set(items.objects.filter(meeting=meeting).values_list("key", flat=True))
        kept = []
        for item in items.objects.filter(meeting=previous, discussed=False).order_by(
                "closed_number", "position"):
            if _subject_key(item) in here:
                continue
            words = [NOT_CARRIED[name] for name in NOT_CARRIED if item.sources.get(name)]
            kept.append(rows(meeting=meeting, number=item.closed_number,
                             because="; ".join(words) or NOTHING,
                             from_held_on=previous.held_on, position=len(kept) + 1))
        rows.objects.bulk_create(kept)


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0009_invitation_withdrawn"),
    ]

    operations = [
        migrations.CreateModel(
            name='NotCarriedOver',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(blank=True, null=True)),
                ('because', models.CharField(max_length=400)),
                ('from_held_on', models.DateField()),
                ('position', models.PositiveIntegerField()),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='not_carried_over', to='meetings.localitymeeting')),
            ],
            options={
                'ordering': ['position', 'pk'],
            },
        ),
        migrations.RunPython(keep_not_carried, migrations.RunPython.noop),
    ]
