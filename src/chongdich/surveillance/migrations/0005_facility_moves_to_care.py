"""The facility treating a case is care's fact: ``care.CaseFacility`` and ``care.EpisodeFacility`` hold
it from care 0006 (which copied the values); surveillance no longer refers to care."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("surveillance", "0004_recorded_bookkeeping"),
        ("care", "0006_case_and_episode_facility"),  # the values are copied there first
    ]

    operations = [
        migrations.RemoveField(
            model_name="case",
            name="facility",
        ),
        migrations.RemoveField(
            model_name="historicalcase",
            name="facility",
        ),
        migrations.RemoveField(
            model_name="treatmentepisode",
            name="facility",
        ),
    ]
