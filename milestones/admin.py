from django.contrib import admin

from milestones import services
from milestones.models import (
    Blob,
    Cohort,
    Evidence,
    EvidenceRequirement,
    HistoryEntry,
    Milestone,
    MilestoneDefinition,
    MilestoneUpdate,
    MonitoringRecord,
    PolicyItem,
    PolicyPackage,
    QualityReview,
    QualityReviewItem,
    SSKDocument,
)


class EvidenceRequirementInline(admin.TabularInline):
    model = EvidenceRequirement
    extra = 1


@admin.register(MilestoneDefinition)
class MilestoneDefinitionAdmin(admin.ModelAdmin):
    """Administrators edit the milestones' names and the evidence each requires here."""

    list_display = ["number", "name", "year_of_cohort"]
    inlines = [EvidenceRequirementInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["definition", "status", "progress", "planned_date", "actual_date"]
    readonly_fields = ["status", "progress"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["regency", "year_m1_m3", "year_m4", "decree_number", "decree_date"]
    list_filter = ["year_m1_m3", "regency__province"]
    search_fields = ["regency__name", "regency__code", "decree_number"]
    autocomplete_fields = ["regency"]
    inlines = [MilestoneInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.open_milestones(cohort=form.instance)  # a new cohort gets its M1–M4 records


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["regency", "definition", "cohort", "status", "progress", "planned_date", "actual_date"]
    list_filter = ["status", "definition", "regency__province"]
    search_fields = ["regency__name", "regency__code"]
    list_select_related = ["regency", "definition", "cohort"]
    # Status and progress change only through the review workflow, which records its history.
    readonly_fields = ["status", "progress", "regency", "cohort", "definition"]

    def has_add_permission(self, request):
        return False  # milestones are opened with their cohort


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["blob", "original_name", "uploaded_by", "uploaded_at"]
    can_delete = False


@admin.register(MilestoneUpdate)
class MilestoneUpdateAdmin(admin.ModelAdmin):
    list_display = ["milestone", "status", "progress", "author", "submitted_at", "decided_at"]
    list_filter = ["status", "milestone__definition"]
    list_select_related = ["milestone__regency", "milestone__definition", "milestone__cohort", "author"]
    readonly_fields = ["milestone", "status", "author", "submitted_at", "decided_at", "decided_by", "return_reason"]
    inlines = [EvidenceInline]


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "milestone", "action", "from_status", "to_status", "actor"]
    list_filter = ["action"]
    list_select_related = ["milestone__regency", "milestone__definition", "milestone__cohort", "actor"]

    # The history is a record: nobody edits or deletes it.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "update", "uploaded_by", "uploaded_at"]
    list_select_related = [
        "update__milestone__regency",
        "update__milestone__definition",
        "update__milestone__cohort",
        "uploaded_by",
    ]


@admin.register(Blob)
class BlobAdmin(admin.ModelAdmin):
    list_display = ["sha256", "content_type", "size", "created_at"]
    readonly_fields = ["sha256", "content_type", "extension", "size", "file", "created_at"]


@admin.register(MonitoringRecord)
class MonitoringRecordAdmin(admin.ModelAdmin):
    list_display = ["cohort", "year_index", "year", "assessment"]
    list_select_related = ["cohort__regency"]


class PolicyItemInline(admin.TabularInline):
    model = PolicyItem
    extra = 1


@admin.register(PolicyPackage)
class PolicyPackageAdmin(admin.ModelAdmin):
    list_display = ["title", "regency", "status", "committed_on"]
    list_filter = ["status"]
    autocomplete_fields = ["regency"]
    inlines = [PolicyItemInline]


@admin.register(PolicyItem)
class PolicyItemAdmin(admin.ModelAdmin):
    list_display = ["description", "kind", "status", "legal_instrument", "package"]
    list_filter = ["kind", "status"]


class QualityReviewItemInline(admin.TabularInline):
    model = QualityReviewItem
    extra = 0


@admin.register(QualityReview)
class QualityReviewAdmin(admin.ModelAdmin):
    list_display = ["document", "outcome", "reviewer", "reviewed_at"]
    inlines = [QualityReviewItemInline]


@admin.register(QualityReviewItem)
class QualityReviewItemAdmin(admin.ModelAdmin):
    list_display = ["review", "chapter", "adequate"]


@admin.register(SSKDocument)
class SSKDocumentAdmin(admin.ModelAdmin):
    list_display = ["regency", "period_start", "period_end", "kind", "status", "instrument_number"]
    list_filter = ["status", "kind"]
    autocomplete_fields = ["regency"]
