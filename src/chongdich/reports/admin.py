from django.contrib import admin

from chongdich.reports.models import DailyReport, ReportSetting


@admin.register(DailyReport)
class DailyReportAdmin(admin.ModelAdmin):
    list_display = ("unit", "day", "status", "sent_at")
    list_filter = ("status",)
    raw_id_fields = ("unit",)
    readonly_fields = ("indicators", "figures_at", "created_by", "updated_by", "sent_by")


@admin.register(ReportSetting)
class ReportSettingAdmin(admin.ModelAdmin):
    list_display = ("province", "cut_off", "updated_at")
    raw_id_fields = ("province",)
