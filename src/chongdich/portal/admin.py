from django.contrib import admin

from chongdich.portal.models import Announcement, Hotline


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ("__str__", "unit", "kind", "publish_at", "expires_at", "withdrawn_at", "cancelled_at")
    list_filter = ("kind",)
    raw_id_fields = ("unit",)
    readonly_fields = ("source_key", "created_by", "updated_by", "withdrawn_by")


@admin.register(Hotline)
class HotlineAdmin(admin.ModelAdmin):
    list_display = ("label", "number", "unit", "position")
    raw_id_fields = ("unit",)
