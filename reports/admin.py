from django.contrib import admin

from reports.models import ReportJob, ReportSchedule


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    """Administrators add or change recurring reports here, without a deploy."""

    list_display = [
        "name",
        "audience",
        "province",
        "balai",
        "regency",
        "day_of_month",
        "language",
        "active",
        "last_run_on",
        "created_by",
    ]
    list_filter = ["audience", "active"]
    list_select_related = ["province", "balai", "regency", "created_by"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "audience",
        "province",
        "balai",
        "regency",
        "status",
        "attempts",
        "page_count",
        "compile_seconds",
        "created_at",
    ]
    list_filter = ["status", "audience"]
    list_select_related = ["province", "balai", "regency"]
    # A report is a snapshot: nothing in it is edited by hand.
    readonly_fields = [f.name for f in ReportJob._meta.fields]
