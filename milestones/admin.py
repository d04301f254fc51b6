from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from milestones.models import (
    ActionEvidence,
    Blob,
    BudgetLine,
    ClinicParticipant,
    CoachingClinic,
    Cohort,
    Evidence,
    EvidenceRequirement,
    EvidenceVerdict,
    FollowUpAction,
    HistoryEntry,
    Milestone,
    MilestoneDefinition,
    MilestoneUpdate,
    MonitoringRecord,
    NawasisSubmission,
    Notice,
    PlanningIntegration,
    PolicyItem,
    PolicyPackage,
    ProgrammeActivity,
    QualityReview,
    QualityReviewItem,
    Recommendation,
    RegionalBudget,
    ReminderDigest,
    SSKDocument,
)
from milestones.models.outbox import OutboxMessage
from milestones.services import milestones as services
from milestones.services import outbox


class EvidenceRequirementInline(admin.TabularInline):
    model = EvidenceRequirement
    extra = 1


@admin.register(MilestoneDefinition)
class MilestoneDefinitionAdmin(admin.ModelAdmin):
    """Administrators edit the milestones' names and the evidence each requires here."""

    list_display = ["number", "name", "year_of_cohort", "requires_previous"]
    list_editable = ["requires_previous"]
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


class EvidenceVerdictInline(admin.TabularInline):
    """The reviewer's verdicts, shown with the update; they are given on the milestone page, not here."""

    model = EvidenceVerdict
    extra = 0
    fields = ["requirement", "verdict", "note", "judged_by", "judged_at"]
    readonly_fields = ["requirement", "verdict", "note", "judged_by", "judged_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MilestoneUpdate)
class MilestoneUpdateAdmin(admin.ModelAdmin):
    list_display = ["milestone", "status", "progress", "author", "submitted_at", "decided_at"]
    list_filter = ["status", "milestone__definition"]
    list_select_related = ["milestone__regency", "milestone__definition", "milestone__cohort", "author"]
    readonly_fields = ["milestone", "status", "author", "submitted_at", "decided_at", "decided_by", "return_reason"]
    inlines = [EvidenceInline, EvidenceVerdictInline]


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
    list_display = ["document", "roadmap", "outcome", "reviewer", "reviewed_at"]
    inlines = [QualityReviewItemInline]


@admin.register(QualityReviewItem)
class QualityReviewItemAdmin(admin.ModelAdmin):
    list_display = ["review", "chapter", "adequate"]


@admin.register(SSKDocument)
class SSKDocumentAdmin(admin.ModelAdmin):
    list_display = ["regency", "period_start", "period_end", "kind", "status", "instrument_number"]
    list_filter = ["status", "kind"]
    autocomplete_fields = ["regency"]


class ClinicParticipantInline(admin.TabularInline):
    model = ClinicParticipant
    extra = 0


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0


@admin.register(CoachingClinic)
class CoachingClinicAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "date", "province", "mode", "milestone"]
    list_filter = ["number", "mode", "province"]
    search_fields = ["title", "venue"]
    filter_horizontal = ["regencies"]
    inlines = [ClinicParticipantInline, RecommendationInline]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(admin.ModelAdmin):
    list_display = ["description", "status", "due_date", "province", "regency"]
    list_filter = ["status", "province"]
    search_fields = ["description"]
    list_select_related = ["province", "regency"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["text", "clinic", "order"]


@admin.register(ClinicParticipant)
class ClinicParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "clinic", "agency_name", "online"]


@admin.register(ActionEvidence)
class ActionEvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "action", "uploaded_by", "uploaded_at"]


class PlanningIntegrationInline(admin.TabularInline):
    model = PlanningIntegration
    extra = 0


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(ProgrammeActivity)
class ProgrammeActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "regency", "subsector", "agency", "year_start", "year_end"]
    list_filter = ["subsector", "regency__province"]
    search_fields = ["code", "name", "agency"]
    inlines = [PlanningIntegrationInline, BudgetLineInline]


@admin.register(PlanningIntegration)
class PlanningIntegrationAdmin(admin.ModelAdmin):
    list_display = ["activity", "document", "year", "included", "amount"]
    list_filter = ["document", "included"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["activity", "year", "source", "indicative", "allocated", "realised"]
    list_filter = ["source", "year"]


@admin.register(RegionalBudget)
class RegionalBudgetAdmin(admin.ModelAdmin):
    list_display = ["regency", "year", "total_apbd"]


@admin.register(NawasisSubmission)
class NawasisSubmissionAdmin(admin.ModelAdmin):
    list_display = ["regency", "module", "submitted_on", "completeness", "verified_at"]
    list_filter = ["module"]


@admin.register(ReminderDigest)
class ReminderDigestAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "item_count", "sent_at"]
    readonly_fields = ["user", "day", "item_count", "sent_at"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Who was told what in the app, and whether they read it: a record, never edited by hand."""

    list_display = ["created_at", "recipient", "kind", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__username"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """What the tracker has sent or still owes: failed rows are retried from here, nothing is edited."""

    list_display = ["created_at", "kind", "payload", "status", "attempts", "available_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["last_error"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # The rows are the record of what was sent and what is owed: deleting one would lose a message unseen.
    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        # Rows are never edited by hand, but sending again is a change: it needs the change permission.
        return request.user.has_perm("milestones.change_outboxmessage")

    @admin.action(description=_("Retry sending the selected messages"), permissions=["retry"])
    def retry(self, request, queryset):
        count = outbox.retry(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d message queued to be sent again (failed or waiting messages only).",
                "%(count)d messages queued to be sent again (failed or waiting messages only).",
                count,
            )
            % {"count": count},
        )
