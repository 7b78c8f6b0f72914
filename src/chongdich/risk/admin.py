from django.contrib import admin

from chongdich.risk.models import (
    CapacityReadiness,
    ProvinceRiskSetting,
    RiskAssessment,
    RiskOverride,
    ScenarioState,
    Task,
)


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    list_display = (
        "day",
        "code",
        "name",
        "tier",
        "framework",
        "computed_level",
        "applied_level",
        "colour",
        "effective_from",
        "in_force_level",
        "pending_level",
    )
    list_filter = ("tier", "framework", "colour")
    search_fields = ("code", "name")
    date_hierarchy = "day"
    raw_id_fields = ("unit",)


@admin.register(RiskOverride)
class RiskOverrideAdmin(admin.ModelAdmin):
    list_display = ("unit", "framework", "level", "valid_from", "valid_to", "by", "at", "withdrawn_at")
    raw_id_fields = ("unit", "by", "withdrawn_by")


@admin.register(ProvinceRiskSetting)
class ProvinceRiskSettingAdmin(admin.ModelAdmin):
    list_display = (
        "province",
        "effective_from",
        "framework",
        "raise_border_by",
        "raise_next_to_higher_by",
        "notice_hours",
        "scenario_2_from",
        "scenario_3_above",
        "scenario_tier",
    )
    raw_id_fields = ("province", "created_by")


@admin.register(CapacityReadiness)
class CapacityReadinessAdmin(admin.ModelAdmin):
    list_display = ("unit", "ready", "effective_from", "set_by", "set_at")
    raw_id_fields = ("unit", "set_by")


@admin.register(ScenarioState)
class ScenarioStateAdmin(admin.ModelAdmin):
    list_display = ("unit", "scenario", "active_cases", "since", "updated_on")
    raw_id_fields = ("unit",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("unit", "agency", "code", "source_scenario", "activated_on", "deadline", "status")
    list_filter = ("status", "source_scenario")
    raw_id_fields = ("unit", "closed_by")
