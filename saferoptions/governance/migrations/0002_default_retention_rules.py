"""Default retention rules. Partners change them in admin; these are a starting point only.

Sources the defaults are based on (check them against the partnership's own schedule):
- Children and young adults: kept until the 25th birthday, as the IRMS Information
  Management Toolkit for Schools (child protection files: date of birth + 25 years) and the
  NHS Records Management Code of Practice 2021 (children's records: until the 25th birthday);
  and at least 6 years after the last contact, the Limitation Act 1980 six-year period that
  local authority retention guidance (IRMS Retention Guidelines for Local Authorities) uses.
- Adults of concern: reviewed 6 years after the last contact, the "clear period" for the
  lowest MoPI group in the College of Policing's Authorised Professional Practice on
  information management (management of police information).
"""

from django.db import migrations

CHILD_BASIS = (
    "Until the 25th birthday (IRMS Information Management Toolkit for Schools: child "
    "protection files DOB + 25 years; NHS Records Management Code of Practice 2021: children's "
    "records to the 25th birthday) and at least 6 years after last contact (Limitation Act 1980)."
)
ADULT_BASIS = (
    "Reviewed 6 years after last contact: the clear period for the lowest MoPI group "
    "(College of Policing APP, information management)."
)
DEFAULTS = [
    ("child", "age_or_last_contact", 6, 25, CHILD_BASIS),
    ("young_adult", "age_or_last_contact", 6, 25, CHILD_BASIS),
    ("adult_of_concern", "last_contact", 6, None, ADULT_BASIS),
]


def forwards(apps, schema_editor):
    rule = apps.get_model("governance", "RetentionRule")
    for category, trigger, years, age, basis in DEFAULTS:
        rule.objects.get_or_create(
            category=category,
            defaults={
                "review_trigger": trigger,
                "years_after_last_contact": years,
                "until_age": age,
                "basis": basis,
            },
        )


def backwards(apps, schema_editor):
    apps.get_model("governance", "RetentionRule").objects.filter(
        category__in=[d[0] for d in DEFAULTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
