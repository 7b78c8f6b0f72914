"""The facility treating a case moves from surveillance (``Case.facility``, ``TreatmentEpisode.facility``)
to care (``CaseFacility``, ``EpisodeFacility``): surveillance sits below care and no longer refers to it.
The values are copied here, while surveillance's columns still exist (surveillance 0005 drops them after);
reversed, they are copied back before the tables go."""

import django.db.models.deletion
from django.db import migrations, models


def copy_to_care(apps, schema_editor):
    Case = apps.get_model("surveillance", "Case")
    TreatmentEpisode = apps.get_model("surveillance", "TreatmentEpisode")
    CaseFacility = apps.get_model("care", "CaseFacility")
    EpisodeFacility = apps.get_model("care", "EpisodeFacility")
    CaseFacility.objects.bulk_create(
        CaseFacility(case_id=case_id, facility_id=facility_id)
        for case_id, facility_id in Case.objects.filter(facility__isnull=False).values_list("pk", "facility_id")
    )
    EpisodeFacility.objects.bulk_create(
        EpisodeFacility(episode_id=episode_id, facility_id=facility_id)
        for episode_id, facility_id in TreatmentEpisode.objects.filter(facility__isnull=False).values_list(
            "pk", "facility_id"
        )
    )


def copy_back(apps, schema_editor):
    Case = apps.get_model("surveillance", "Case")
    TreatmentEpisode = apps.get_model("surveillance", "TreatmentEpisode")
    for link in apps.get_model("care", "CaseFacility").objects.all():
        Case.objects.filter(pk=link.case_id).update(facility_id=link.facility_id)
    for link in apps.get_model("care", "EpisodeFacility").objects.all():
        TreatmentEpisode.objects.filter(pk=link.episode_id).update(facility_id=link.facility_id)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0005_recorded_bookkeeping"),
        ("surveillance", "0004_recorded_bookkeeping"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseFacility",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="care_facility",
                        serialize=False,
                        to="surveillance.case",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="case_links",
                        to="care.facility",
                        verbose_name="facility",
                    ),
                ),
            ],
            options={
                "verbose_name": "facility of a case",
                "verbose_name_plural": "facilities of cases",
            },
        ),
        migrations.CreateModel(
            name="EpisodeFacility",
            fields=[
                (
                    "episode",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="care_facility",
                        serialize=False,
                        to="surveillance.treatmentepisode",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="care.facility",
                        verbose_name="facility",
                    ),
                ),
            ],
            options={
                "verbose_name": "facility of a treatment episode",
                "verbose_name_plural": "facilities of treatment episodes",
            },
        ),
        migrations.RunPython(copy_to_care, copy_back),
    ]
