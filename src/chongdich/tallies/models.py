"""Per commune × day counters: the reporting backbone read by dashboards, maps, reports and the risk engine.

Flow fields count events of the day.  Stock fields hold the day's *change*; the level at the end of a
day is the running sum up to that day (``selectors.levels``), so a late or backdated entry changes one
row, never a whole series.  Every write that changes a tally updates it in the same transaction, from
the difference of the record's contributions before and after (``engine.tracked``), and
``rebuild_tallies`` recomputes everything from the records: both must agree.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

FLOW_FIELDS = {
    "cases_new_community": _("New cases in the community"),
    "cases_new_community_unknown_source": _("…of which source unknown"),
    "cases_new_isolated": _("New cases found in quarantine, lockdown or at the border"),
    "cases_recovered": _("Recovered"),
    "cases_died": _("Deaths"),
    "cases_transferred_out": _("Transferred out"),
    "cases_hospitalised": _("Admitted to hospital"),
    "samples_taken": _("Samples taken"),
    "tests_done": _("Tests with a result"),
    "tests_positive": _("Positive tests"),
    # Contact tracing and community screening (the daily report's F1/F2 and fever-cough blocks): contacts
    # count per contact record on the day they became one (as the tracing list lists them), F1 who ran
    # their quarantine to its planned end on the day after it, fever-cough samples by day taken / result.
    "f1_new": _("New F1 found"),
    "f2_new": _("New F2 found"),
    "f1_completed": _("F1 who completed quarantine"),
    "fever_sampled": _("People with fever or cough sampled"),
    "fever_tested": _("Fever or cough: results"),
    "fever_positive": _("Fever or cough: positive"),
    # Movement and declarations (event tables, counted by the ingest per batch and rebuilt by grouped
    # queries): declarations by the declarant's commune, passages and check-ins by the checkpoint's and
    # the venue's commune, arrivals from an epidemic area (declarations and inbound passages whose origin
    # raised the arrival rule), alerts raised.
    "declarations": _("Health declarations"),
    "declarations_symptomatic": _("Declarations with symptoms"),
    "arrivals_watched": _("Arrivals from epidemic areas"),
    "passages": _("Checkpoint passages"),
    "checkins": _("Venue check-ins"),
    "alerts_new": _("Alerts raised"),
}
STOCK_FIELDS = {
    "active_hospital": _("Under treatment in hospital"),
    "active_field_hospital": _("Under treatment in field hospitals"),
    "active_treatment_area": _("Under treatment in treatment areas"),
    "active_concentrated": _("Under treatment in concentrated facilities"),
    "active_home": _("Treated at home"),
    "f1_home_quarantine": _("F1 in home quarantine"),
    "f1_facility_quarantine": _("F1 in facility quarantine"),
    "samples_pending": _("Samples waiting for a result"),
    "quarantine_capacity": _("Quarantine places"),
    "quarantine_occupied": _("Quarantine places occupied"),
    "treatment_capacity": _("Treatment beds"),
    "treatment_occupied": _("Treatment beds occupied"),
    "oxygen_capacity": _("Oxygen beds"),
    "oxygen_occupied": _("Oxygen beds occupied"),
    "icu_capacity": _("ICU beds"),
    "icu_occupied": _("ICU beds occupied"),
    "alerts_open": _("Alerts open"),
}
ACTIVE_FIELDS = (
    "active_hospital",
    "active_field_hospital",
    "active_treatment_area",
    "active_concentrated",
    "active_home",
)
ALL_FIELDS = {**FLOW_FIELDS, **STOCK_FIELDS}


class DailyTally(models.Model):
    unit = models.ForeignKey("territory.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=160)
    province_code = models.CharField(max_length=8, db_index=True)
    day = models.DateField()
    locals().update({name: models.IntegerField(label, default=0) for name, label in ALL_FIELDS.items()})

    class Meta:
        verbose_name = _("daily tally")
        verbose_name_plural = _("daily tallies")
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="tally_unit_day")]
        indexes = [
            models.Index(
                fields=["unit_path", "day"], name="tally_path_day", opclasses=["varchar_pattern_ops", "date_ops"]
            ),
            models.Index(fields=["day"], name="tally_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class ClusterTally(models.Model):
    """Per cluster × day counters, for the risk engine's clusters (QĐ 2686 R-10: a cluster's source,
    setting and number of cases).  Kept like ``DailyTally``, from the records' contributions
    (``engine.ClusterContribution``), in the same transaction as the write, and rebuilt with it.

    ``opened`` is a stock change (+1 on the day the cluster opened, −1 on the day it closed: open on a
    day when the running sum is positive) on rows keyed by the cluster's commune, setting and source;
    ``cases`` is a flow (its cases by day of confirmation) on rows keyed by the cluster alone (blank
    commune and setting), so that changing a cluster's setting moves one row, never its cases.
    The cluster is a plain id: tallies sit below the apps that own clusters.
    """

    cluster_id = models.PositiveBigIntegerField()
    commune_code = models.CharField(max_length=16, blank=True)
    setting = models.CharField(max_length=20, blank=True)
    source_known = models.BooleanField(default=False)
    day = models.DateField()
    opened = models.IntegerField(default=0)
    cases = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("cluster tally")
        verbose_name_plural = _("cluster tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_id", "commune_code", "setting", "source_known", "day"], name="cluster_tally_key"
            )
        ]
        indexes = [models.Index(fields=["day"], name="cluster_tally_day")]

    def __str__(self) -> str:
        return f"cluster {self.cluster_id} {self.day}"


# Dose age bands: territory's AGE_BANDS without ``pop_`` (the age on the day the dose was given).
DOSE_AGE_BANDS = ("0_17", "18_49", "50_64", "65_plus")
VACCINATION_KEY = ("product", "kind", "number", "completes_primary", "age_band", "priority_group", "high_risk")
VACCINATION_FIELDS = ("doses", "enrolled")


class VaccinationTally(models.Model):
    """Per commune × day × dose key: vaccination counters for the coverage indicators and the risk
    engine's QĐ 4800/218 inputs.  Kept like ``DailyTally``, from the records' contributions
    (``engine.VaccinationContribution``) in the same transaction as the write, rebuilt with it
    (set-based: one grouped INSERT … SELECT per source, ``rebuild.rebuild``).

    ``doses`` is a flow: valid doses given that day with this key (product, kind — primary,
    additional, booster —, number within the kind, whether it completed the primary series, the
    person's age band and priority group on that day, the group's high-risk flag); a voided dose
    counts nothing.  ``enrolled`` is a stock change on rows keyed by the priority group alone (blank
    product and kind): people enrolled in the group from that day (the group's coverage denominator).
    Every dose event is one person reaching a step (a person's dose number *n* of a kind exists once),
    so "people with a first dose" is the number of dose-1 primary events.
    """

    unit = models.ForeignKey("territory.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=160)
    province_code = models.CharField(max_length=8)
    day = models.DateField()
    product = models.CharField(max_length=8, blank=True)
    kind = models.CharField(max_length=12, blank=True)
    number = models.PositiveSmallIntegerField(default=0)
    completes_primary = models.BooleanField(default=False)
    age_band = models.CharField(max_length=12, blank=True)
    priority_group = models.CharField(max_length=8, blank=True)
    high_risk = models.BooleanField(default=False)
    doses = models.IntegerField(default=0)
    enrolled = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("vaccination tally")
        verbose_name_plural = _("vaccination tallies")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", *VACCINATION_KEY], name="vaccination_tally_key"),
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "day"],
                name="vacc_tally_path_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["province_code", "day"], name="vacc_tally_province_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.product} {self.kind} {self.number}"


# Running totals of the doses the coverage indicators read (``coverage.MEASURES``): per tally unit ×
# product, as of each day on which one of them changed.  ``dose1_open`` = first doses that did not
# complete the series (dropout reads it as of each product's interval before the day).
CUMULATIVE_FIELDS = (
    "doses",
    "dose1",
    "dose1_18plus",
    "dose1_open",
    "full",
    "full_18plus",
    "full_50plus",
    "full_65plus",
    "booster",
    "booster_18plus",
    "completed",
)


def quoted(names) -> list[str]:
    """Column names quoted for raw SQL ("full" is a reserved word in PostgreSQL)."""
    return [f'"{name}"' for name in names]


class VaccinationCumulative(models.Model):
    """Per tally unit × product × day: the *cumulative* dose counts up to that day (valid doses of
    the product in the unit given on or before it), one row for each day on which a count changed.
    A figure at a day is the latest row on or before it — one index probe per unit and product
    instead of summing every ``VaccinationTally`` row of the subtree.

    Kept by the engine with every ``VaccinationTally`` change in the same transaction (``engine``:
    insert the day's row from the previous one if missing, then ``UPDATE … WHERE day >= D``), rebuilt
    from the vaccination tallies with a window ``SUM`` (``rebuild.rebuild_cumulative``) and compared by
    ``rebuild_tallies --check`` with the running sums of the tallies recomputed from the records.
    """

    unit = models.ForeignKey("territory.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=160)
    province_code = models.CharField(max_length=8)
    product = models.CharField(max_length=8, blank=True)
    day = models.DateField()
    locals().update({name: models.IntegerField(default=0) for name in CUMULATIVE_FIELDS})

    class Meta:
        verbose_name = _("cumulative vaccination tally")
        verbose_name_plural = _("cumulative vaccination tallies")
        constraints = [
            models.UniqueConstraint(fields=["product", "unit", "day"], name="vaccination_cumulative_key"),
        ]
        indexes = [models.Index(fields=["province_code", "day"], name="vacc_cum_province_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.product} {self.day}"


GROUP_CUMULATIVE_FIELDS = ("enrolled", "dose1", "full")


class VaccinationGroupCumulative(models.Model):
    """Per tally unit × priority group × day: the *cumulative* people enrolled in the group, first
    doses and full series given to people of the group, up to that day (one row for each day on
    which one changed) — what the ≥ 95% target view reads, one probe per unit and group.  Kept,
    rebuilt and checked like ``VaccinationCumulative``."""

    unit = models.ForeignKey("territory.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=160)
    province_code = models.CharField(max_length=8)
    priority_group = models.CharField(max_length=8)
    day = models.DateField()
    locals().update({name: models.IntegerField(default=0) for name in GROUP_CUMULATIVE_FIELDS})

    class Meta:
        verbose_name = _("cumulative priority-group tally")
        verbose_name_plural = _("cumulative priority-group tallies")
        constraints = [
            models.UniqueConstraint(fields=["priority_group", "unit", "day"], name="vaccination_group_cumulative_key"),
        ]
        indexes = [models.Index(fields=["province_code", "day"], name="vacc_group_cum_province_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.priority_group} {self.day}"
