"""Police incidents become their own data category, apart from police intelligence.

"police_intelligence" used to cover incidents and stop-and-search. Every agreement made under
it was made to share those events (graded intelligence has always been the `intelligence`
category), so it now names `police_incidents` instead: the same events, and never anything
graded. Nothing an agreement shared is widened or narrowed by this.
"""

from django.db import migrations

OLD, NEW = "police_intelligence", "police_incidents"


def renamed(categories: list, old: str, new: str) -> list:
    """The categories with `old` replaced by `new`, sorted, without duplicates."""
    if old not in categories:
        return categories
    return sorted({new if c == old else c for c in categories})


def _rename(apps, old: str, new: str) -> None:
    Agreement = apps.get_model("access", "InformationSharingAgreement")
    for agreement in Agreement.objects.all():
        categories = renamed(list(agreement.categories or []), old, new)
        if categories != agreement.categories:
            agreement.categories = categories
            agreement.save(update_fields=["categories"])


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_agreement_approval")]

    operations = [migrations.RunPython(forwards, backwards)]
