"""What the API answers: stable English field names, descriptions (help_text) in the user's language."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from milestones.models import (
    Blob,
    CoachingClinic,
    Cohort,
    Evidence,
    EvidenceRequirement,
    FollowUpAction,
    HistoryEntry,
    IndicatorActual,
    Milestone,
    MilestoneUpdate,
    NawasisSubmission,
    QualityReview,
    Recommendation,
    ReviewState,
    SSKDocument,
)
from milestones.models.planning import (
    BudgetLine,
    FundingSource,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    Subsector,
)
from milestones.models.service_records import OperatorKind, ServiceKind
from milestones.selectors.indicators import IndicatorRow
from milestones.selectors.service_records import Coverage
from regencies.models import Province, Regency
from reports.models import Audience, Language, ReportJob


class ProvinceSerializer(serializers.ModelSerializer[Province]):
    code = serializers.CharField(help_text=_("Kemendagri province code, two digits (e.g. 62)."))
    name = serializers.CharField(help_text=_("Province name."))

    class Meta:
        model = Province
        fields = ["code", "name", "population", "area_km2"]


class RegencySerializer(serializers.ModelSerializer[Regency]):
    code = serializers.CharField(help_text=_("Kemendagri regency code, PP.KK (e.g. 62.13)."))
    name = serializers.CharField(help_text=_("Regency or city name."))
    province = serializers.CharField(source="province_id", help_text=_("The province's code."))
    kind = serializers.ChoiceField(choices=Regency.Kind.choices, help_text=_("kabupaten (regency) or kota (city)."))

    class Meta:
        model = Regency
        fields = ["code", "name", "province", "kind", "population", "area_km2"]


class RequirementSerializer(serializers.ModelSerializer[EvidenceRequirement]):
    label = serializers.CharField(help_text=_("The evidence required."))

    class Meta:
        model = EvidenceRequirement
        fields = ["id", "label"]


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    regency = serializers.CharField(source="regency_id", help_text=_("The regency's code."))
    number = serializers.IntegerField(
        source="definition.number", help_text=_("The milestone's number, 1 to 4 (M1–M4).")
    )
    name = serializers.CharField(source="definition.name", help_text=_("The milestone's name."))
    cohort_year = serializers.IntegerField(source="cohort.year_m1_m3", help_text=_("The cohort's year of M1–M3."))
    status = serializers.ChoiceField(choices=Milestone.Status.choices, help_text=_("The milestone's status."))
    progress = serializers.IntegerField(help_text=_("Progress in percent, 0 to 100."))
    planned_date = serializers.DateField(allow_null=True, help_text=_("Planned date."))
    actual_date = serializers.DateField(allow_null=True, help_text=_("Actual date of completion."))
    updated_at = serializers.DateTimeField(help_text=_("When the milestone last changed."))
    requirements = RequirementSerializer(
        source="definition.requirements",
        many=True,
        help_text=_("The evidence the milestone requires; an update names those it provides by their ids."),
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "regency",
            "number",
            "name",
            "cohort_year",
            "status",
            "progress",
            "planned_date",
            "actual_date",
            "updated_at",
            "requirements",
        ]


@extend_schema_field(OpenApiTypes.STR)
class UserNameField(serializers.Field):  # type: ignore[type-arg]
    """A person as the pages show them: the full name, else the user name."""

    def to_representation(self, value: Any) -> str:
        return str(value.get_full_name() or value.username)


# A milestone's updates (/api/v1/milestones/<pk>/updates/): each with its history and its files' metadata; the
# files themselves only through the web's scope-checked download (evidence_download), never from the API.
class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
    name = serializers.CharField(source="original_name", help_text=_("The file's name as uploaded."))
    size = serializers.IntegerField(source="blob.size", help_text=_("The file's size in bytes."))
    content_type = serializers.CharField(source="blob.content_type", help_text=_("The file's content type."))
    uploaded_at = serializers.DateTimeField(help_text=_("When the file was uploaded."))
    download_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file (the web's download, checked against your working area).")
    )

    class Meta:
        model = Evidence
        fields = ["id", "name", "size", "content_type", "uploaded_at", "download_url"]

    def get_download_url(self, item: Evidence) -> str:
        return _absolute(self.context, reverse("evidence_download", args=[item.pk]))


class HistoryEntrySerializer(serializers.ModelSerializer[HistoryEntry]):
    at = serializers.DateTimeField(help_text=_("When it happened."))
    action = serializers.ChoiceField(choices=HistoryEntry.Action.choices, help_text=_("What happened."))
    from_status = serializers.CharField(help_text=_("The update's status before (empty: none)."))
    to_status = serializers.CharField(help_text=_("The update's status after (empty: unchanged)."))
    comment = serializers.CharField(help_text=_("The comment or reason given."))
    actor = UserNameField(help_text=_("Who acted (their name)."))

    class Meta:
        model = HistoryEntry
        fields = ["at", "action", "from_status", "to_status", "comment", "actor"]


class MilestoneUpdateSerializer(serializers.ModelSerializer[MilestoneUpdate]):
    milestone = serializers.IntegerField(source="milestone_id", help_text=_("The milestone's id."))
    status = serializers.ChoiceField(choices=MilestoneUpdate.Status.choices, help_text=_("The update's status."))
    progress = serializers.IntegerField(help_text=_("Progress reported, in percent, 0 to 100."))
    narrative = serializers.CharField(help_text=_("What was achieved."))
    obstacles = serializers.CharField(help_text=_("Obstacles (kendala)."))
    next_steps = serializers.CharField(help_text=_("Next steps."))
    author = UserNameField(help_text=_("Who wrote the update (their name)."))
    created_at = serializers.DateTimeField(help_text=_("When the update was created."))
    submitted_at = serializers.DateTimeField(allow_null=True, help_text=_("When it was submitted for review."))
    decided_at = serializers.DateTimeField(allow_null=True, help_text=_("When the reviewer decided."))
    requirements_met = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("The ids of the required evidence the update says it provides.")
    )
    history = HistoryEntrySerializer(many=True, help_text=_("The update's history, oldest first."))
    evidence = EvidenceSerializer(many=True, help_text=_("The update's files (metadata only)."))

    class Meta:
        model = MilestoneUpdate
        fields = [
            "id",
            "milestone",
            "status",
            "progress",
            "narrative",
            "obstacles",
            "next_steps",
            "author",
            "created_at",
            "submitted_at",
            "decided_at",
            "requirements_met",
            "history",
            "evidence",
        ]


# A regency's outcome indicators (/api/v1/regencies/<code>/indicators/): milestones.selectors.indicators'
# rows, as the regency's indicator page reads them; every defined indicator, null where none is entered.
class IndicatorTargetSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField(help_text=_("The target's year."))
    value = serializers.DecimalField(max_digits=5, decimal_places=2, help_text=_("The target, in percent."))


class IndicatorActualSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(help_text=_("The actual's id."))
    year = serializers.IntegerField(help_text=_("The actual's year."))
    value = serializers.DecimalField(max_digits=5, decimal_places=2, help_text=_("The actual value, in percent."))
    source = serializers.CharField(help_text=_("The source of the value (e.g. Susenas 2024)."))
    review_state = serializers.ChoiceField(
        choices=IndicatorActual.review_state.field.choices,
        help_text=_("The review state: draft, submitted, verified or returned; only verified values count."),
    )


class RegencyIndicatorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(source="definition.code", help_text=_("The indicator's code."))
    name = serializers.CharField(source="definition.label", help_text=_("The indicator's name."))
    unit = serializers.CharField(source="definition.unit", help_text=_("The indicator's unit."))
    baseline_year = serializers.IntegerField(
        source="indicator.baseline_year", allow_null=True, help_text=_("The baseline's year (null: not entered).")
    )
    baseline_value = serializers.DecimalField(
        source="indicator.baseline_value",
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text=_("The baseline value, in percent (null: not entered)."),
    )
    baseline_source = serializers.CharField(
        source="indicator.baseline_source", allow_null=True, help_text=_("The source of the baseline.")
    )
    targets = serializers.SerializerMethodField(help_text=_("The targets per year."))
    actuals = IndicatorActualSerializer(many=True, help_text=_("The actuals per year, in every review state."))

    @extend_schema_field(IndicatorTargetSerializer(many=True))
    def get_targets(self, row: IndicatorRow) -> list[dict[str, object]]:
        return IndicatorTargetSerializer(
            [{"year": year, "value": value} for year, value in sorted(row.targets.items())], many=True
        ).data


# A regency's services (/api/v1/regencies/<code>/services/): milestones.selectors.service_records'
# coverage, one row per kind with a record or a full scale set, as the regency's service page reads it.
class ServiceCoverageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=ServiceKind.choices, help_text=_("The service's kind."))
    name = serializers.CharField(source="label", help_text=_("The service's kind, in words."))
    recorded = serializers.SerializerMethodField(help_text=_("Whether the regency recorded this service."))
    service_model = serializers.CharField(
        source="record.service_model", allow_null=True, help_text=_("How the service works (null: not recorded).")
    )
    operator_kind = serializers.ChoiceField(
        source="record.operator_kind",
        choices=OperatorKind.choices,
        allow_null=True,
        help_text=_("The operator's kind (null: not recorded)."),
    )
    operator_name = serializers.CharField(
        source="record.operator_name", allow_null=True, help_text=_("The operator's name.")
    )
    households = serializers.IntegerField(help_text=_("Households served."))
    volume_per_year = serializers.DecimalField(
        source="record.volume_per_year",
        max_digits=12,
        decimal_places=1,
        allow_null=True,
        help_text=_("Volume treated per year, in the unit given."),
    )
    unit = serializers.CharField(help_text=_("The volume's unit."))
    kecamatan_covered = serializers.IntegerField(source="covered", help_text=_("Kecamatan covered (n)."))
    kecamatan_total = serializers.IntegerField(source="total", help_text=_("All kecamatan of the regency (N)."))
    threshold_kecamatan_percent = serializers.IntegerField(
        source="threshold.kecamatan_percent",
        allow_null=True,
        help_text=_("Full scale set by the province: share of kecamatan in percent (null: none)."),
    )
    threshold_households = serializers.IntegerField(
        source="threshold.households",
        allow_null=True,
        help_text=_("Full scale set by the province: households (null: none)."),
    )
    full_scale_reached = serializers.BooleanField(
        source="reached", allow_null=True, help_text=_("Whether the full scale is reached (null: none set).")
    )

    def get_recorded(self, coverage: Coverage) -> bool:
        return coverage.record is not None


# A regency's activities (/api/v1/regencies/<code>/activities/): each with its planning-document rows and
# budget lines (milestones.selectors.planning.activities_with_rows), a page at a time.
class PlanningIntegrationSerializer(serializers.ModelSerializer[PlanningIntegration]):
    document = serializers.ChoiceField(choices=PlanningDocument.choices, help_text=_("The planning document."))
    year = serializers.IntegerField(help_text=_("The document's year."))
    included = serializers.BooleanField(help_text=_("Whether the document includes the activity."))
    nomenclature = serializers.CharField(help_text=_("The activity's name in the document (nomenklatur)."))
    amount = serializers.DecimalField(
        max_digits=18, decimal_places=2, allow_null=True, help_text=_("The amount in the document (pagu), rupiah.")
    )

    class Meta:
        model = PlanningIntegration
        fields = ["document", "year", "included", "nomenclature", "amount"]


class BudgetLineSerializer(serializers.ModelSerializer[BudgetLine]):
    year = serializers.IntegerField(help_text=_("The budget's year."))
    source = serializers.ChoiceField(choices=FundingSource.choices, help_text=_("The funding source."))
    indicative = serializers.DecimalField(
        max_digits=18, decimal_places=2, help_text=_("Indicative money in the SSK, rupiah.")
    )
    allocated = serializers.DecimalField(max_digits=18, decimal_places=2, help_text=_("Allocated money, rupiah."))
    realised = serializers.DecimalField(max_digits=18, decimal_places=2, help_text=_("Realised money, rupiah."))

    class Meta:
        model = BudgetLine
        fields = ["year", "source", "indicative", "allocated", "realised"]


class ActivitySerializer(serializers.ModelSerializer[ProgrammeActivity]):
    regency = serializers.CharField(source="regency_id", help_text=_("The regency's code."))
    code = serializers.CharField(help_text=_("The activity's code in the SSK (e.g. AL-01)."))
    subsector = serializers.ChoiceField(choices=Subsector.choices, help_text=_("The activity's subsector."))
    name = serializers.CharField(help_text=_("The activity's name."))
    agency = serializers.CharField(help_text=_("The responsible agency (OPD)."))
    location = serializers.CharField(help_text=_("The activity's location."))
    year_start = serializers.IntegerField(help_text=_("The first year of the activity."))
    year_end = serializers.IntegerField(help_text=_("The last year of the activity."))
    planning = PlanningIntegrationSerializer(
        source="integrations", many=True, help_text=_("The planning-document rows, by year.")
    )
    budget_lines = BudgetLineSerializer(many=True, help_text=_("The budget lines, by year and source."))

    class Meta:
        model = ProgrammeActivity
        fields = [
            "id",
            "regency",
            "code",
            "subsector",
            "name",
            "agency",
            "location",
            "year_start",
            "year_end",
            "planning",
            "budget_lines",
        ]


# A regency's NAWASIS entries (/api/v1/regencies/<code>/nawasis/): milestones.selectors.nawasis, newest first.
class NawasisSubmissionSerializer(serializers.ModelSerializer[NawasisSubmission]):
    regency = serializers.CharField(source="regency_id", help_text=_("The regency's code."))
    module = serializers.ChoiceField(choices=NawasisSubmission.Module.choices, help_text=_("The NAWASIS module."))
    submitted_on = serializers.DateField(help_text=_("The day it was entered in NAWASIS."))
    completeness = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text=_("The completeness NAWASIS reported, in percent.")
    )
    notes = serializers.CharField(help_text=_("Notes."))
    recorded_by = UserNameField(help_text=_("Who recorded it (their name)."))
    verified_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the province verified it (null: not yet).")
    )
    verified_by = UserNameField(allow_null=True, help_text=_("Who verified it (null: not yet)."))

    class Meta:
        model = NawasisSubmission
        fields = [
            "id",
            "regency",
            "module",
            "submitted_on",
            "completeness",
            "notes",
            "recorded_by",
            "verified_at",
            "verified_by",
        ]


# A regency's cohorts (/api/v1/regencies/<code>/cohorts/): milestones.selectors.milestones.regency_cohorts.
class CohortSerializer(serializers.ModelSerializer[Cohort]):
    regency = serializers.CharField(source="regency_id", help_text=_("The regency's code."))
    year_m1_m3 = serializers.IntegerField(help_text=_("The cohort's year of M1–M3."))
    year_m4 = serializers.IntegerField(help_text=_("The cohort's year of M4."))
    decree_number = serializers.CharField(help_text=_("The decree's number (empty: not entered)."))
    decree_date = serializers.DateField(allow_null=True, help_text=_("The decree's date (null: not entered)."))

    class Meta:
        model = Cohort
        fields = ["id", "regency", "year_m1_m3", "year_m4", "decree_number", "decree_date"]


class MilestoneStateSerializer(MilestoneSerializer):
    """A regency's milestones (/api/v1/regencies/<code>/milestones/), each as it stood on ``as_of`` when asked
    (milestones.selectors.figures.with_state: read back from the history), else as it stands now."""

    status = serializers.ChoiceField(
        source="status_as_of",
        choices=Milestone.Status.choices,
        help_text=_("The milestone's status (on as_of, when asked)."),
    )
    progress = serializers.IntegerField(
        source="progress_as_of", help_text=_("Progress in percent, 0 to 100 (on as_of, when asked).")
    )
    planned_date = serializers.DateField(
        source="planned_as_of", allow_null=True, help_text=_("Planned date (on as_of, when asked).")
    )
    actual_date = serializers.DateField(
        source="actual_as_of", allow_null=True, help_text=_("Actual date of completion (on as_of, when asked).")
    )
    late = serializers.BooleanField(help_text=_("Past its planned date and not verified (on as_of, when asked)."))

    class Meta(MilestoneSerializer.Meta):
        fields = [*MilestoneSerializer.Meta.fields, "late"]


class MilestoneFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The query of /api/v1/regencies/<code>/milestones/."""

    status = serializers.ChoiceField(
        choices=Milestone.Status.choices,
        required=False,
        help_text=_("Only milestones with this status."),
        error_messages={"invalid_choice": _("“{input}” is not a milestone status.")},
    )
    as_of = serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        help_text=_("The status and progress on this day (YYYY-MM-DD), read back from the history."),
        error_messages={"invalid": _("Not a date: write it as YYYY-MM-DD.")},
    )


def _absolute(context: dict[str, Any], url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


class StoredFileSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A stored file's metadata (``milestones.models.Blob``) with the web's scope-checked download; the API
    serves no file. Built from ``{"name", "blob", "url"}`` (the owner's name for the file, its blob, the
    download's path)."""

    name = serializers.CharField(help_text=_("The file's name as uploaded."))
    size = serializers.IntegerField(source="blob.size", help_text=_("The file's size in bytes."))
    content_type = serializers.CharField(source="blob.content_type", help_text=_("The file's content type."))
    sha256 = serializers.CharField(source="blob.sha256", help_text=_("The file's SHA-256, in hex."))
    download_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file (the web's download, checked against your working area).")
    )

    def get_download_url(self, item: dict[str, Any]) -> str:
        return _absolute(self.context, item["url"])


def stored_file(context: dict[str, Any], blob: Blob | None, name: str, url_name: str, pk: int) -> Any:
    """The file's metadata as ``StoredFileSerializer`` writes it, or None when there is no file."""
    if blob is None:
        return None
    return StoredFileSerializer({"name": name, "blob": blob, "url": reverse(url_name, args=[pk])}, context=context).data


# A regency's SSK documents (/api/v1/regencies/<code>/documents/): milestones.selectors.documents.regency_documents.
class SSKDocumentSerializer(serializers.ModelSerializer[SSKDocument]):
    regency = serializers.CharField(source="regency_id", help_text=_("The regency's code."))
    kind = serializers.ChoiceField(
        choices=SSKDocument.Kind.choices, help_text=_("Preparation (new) or update of the SSK.")
    )
    status = serializers.ChoiceField(choices=SSKDocument.Status.choices, help_text=_("The document's status."))
    period_start = serializers.IntegerField(help_text=_("The first year of the SSK's period."))
    period_end = serializers.IntegerField(help_text=_("The last year of the SSK's period."))
    instrument = serializers.CharField(help_text=_("The legal instrument that enacted it (empty: not yet)."))
    instrument_number = serializers.CharField(help_text=_("The instrument's number."))
    instrument_date = serializers.DateField(allow_null=True, help_text=_("The instrument's date."))
    latest_review_outcome = serializers.ChoiceField(
        source="latest_outcome",
        choices=QualityReview.Outcome.choices,
        allow_null=True,
        help_text=_("The outcome of the latest provincial quality-assurance review (null: none yet)."),
    )
    latest_reviewed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the latest quality-assurance review was made (null: none yet).")
    )
    file = serializers.SerializerMethodField(help_text=_("The document's file (metadata only; null: none)."))
    created_at = serializers.DateTimeField(help_text=_("When the document was recorded."))
    updated_at = serializers.DateTimeField(help_text=_("When the document last changed."))

    class Meta:
        model = SSKDocument
        fields = [
            "id",
            "regency",
            "kind",
            "status",
            "period_start",
            "period_end",
            "instrument",
            "instrument_number",
            "instrument_date",
            "latest_review_outcome",
            "latest_reviewed_at",
            "file",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(StoredFileSerializer(allow_null=True))
    def get_file(self, document: SSKDocument) -> Any:
        return stored_file(
            self.context, document.file, document.file_name or str(document), "document_download", document.pk
        )


# Coaching clinics and their follow-up actions (/api/v1/clinics/, /api/v1/follow-ups/):
# milestones.selectors.clinics, in the user's scope as the clinic pages show it.
OWNER_KINDS = [
    ("working_group", _("A Pokja")),
    ("regency", _("A regency")),
    ("agency", _("An agency")),
]


class FollowUpActionSerializer(serializers.ModelSerializer[FollowUpAction]):
    clinic = serializers.IntegerField(source="recommendation.clinic_id", help_text=_("The clinic's id."))
    recommendation = serializers.IntegerField(source="recommendation_id", help_text=_("The recommendation's id."))
    province = serializers.CharField(source="province_id", help_text=_("The province's code."))
    regency = serializers.CharField(
        source="regency_id", allow_null=True, help_text=_("The regency the action concerns (null: none named).")
    )
    description = serializers.CharField(help_text=_("The action asked for."))
    owner_kind = serializers.SerializerMethodField(help_text=_("Who owns the action: a Pokja, a regency or an agency."))
    owner = serializers.SerializerMethodField(help_text=_("The owner's name."))
    due_date = serializers.DateField(help_text=_("The due date."))
    status = serializers.ChoiceField(
        choices=FollowUpAction.Status.choices,
        help_text=_("open, in_progress, closing (a closing waits for the province's acceptance), done or dropped."),
    )
    overdue = serializers.SerializerMethodField(help_text=_("Open or in progress past its due date."))
    closing_state = serializers.SerializerMethodField(
        help_text=_(
            "The review state of the latest closing: submitted (waiting for acceptance), verified (accepted), "
            "returned or draft (reopened); null: never closed."
        )
    )
    closing_note = serializers.CharField(help_text=_("The owner's closing note."))
    drop_reason = serializers.CharField(help_text=_("Why it was dropped."))
    closed_at = serializers.DateTimeField(allow_null=True, help_text=_("When it was closed (null: not closed)."))

    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "clinic",
            "recommendation",
            "province",
            "regency",
            "description",
            "owner_kind",
            "owner",
            "due_date",
            "status",
            "overdue",
            "closing_state",
            "closing_note",
            "drop_reason",
            "closed_at",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=OWNER_KINDS))
    def get_owner_kind(self, action: FollowUpAction) -> str:
        if action.assigned_working_group_id is not None:
            return "working_group"
        return "regency" if action.assigned_regency_id is not None else "agency"

    def get_owner(self, action: FollowUpAction) -> str:
        return str(action.owner)

    def get_overdue(self, action: FollowUpAction) -> bool:
        return action.is_overdue(self.context.get("today"))

    @extend_schema_field(serializers.ChoiceField(choices=ReviewState.choices, allow_null=True))
    def get_closing_state(self, action: FollowUpAction) -> str | None:
        closings = getattr(action, "closing_list", None)
        if closings is None:  # not prefetched (``with_closings``): one query
            closings = list(action.closings.order_by("-created_at", "-pk")[:1])
        return closings[0].review_state if closings else None


class ClinicRecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    order = serializers.IntegerField(help_text=_("The recommendation's place in the clinic's list."))
    text = serializers.CharField(help_text=_("The recommendation."))
    actions = FollowUpActionSerializer(
        source="visible_actions", many=True, help_text=_("Its follow-up actions that you may see, soonest due first.")
    )

    class Meta:
        model = Recommendation
        fields = ["id", "order", "text", "actions"]


class ClinicSerializer(serializers.ModelSerializer[CoachingClinic]):
    province = serializers.CharField(source="province_id", help_text=_("The province's code."))
    number = serializers.IntegerField(help_text=_("The clinic's number, 1 to 7 (CC1–CC7)."))
    title = serializers.CharField(help_text=_("The clinic's title."))
    date = serializers.DateField(help_text=_("The day the clinic was held."))
    venue = serializers.CharField(help_text=_("Where it was held."))
    mode = serializers.ChoiceField(choices=CoachingClinic.Mode.choices, help_text=_("In person, online or hybrid."))
    milestone = serializers.IntegerField(
        source="milestone.number", allow_null=True, help_text=_("The milestone reviewed, 1 to 4 (null: none).")
    )
    regencies = serializers.SerializerMethodField(help_text=_("The codes of the regencies the clinic covered."))
    minutes = serializers.SerializerMethodField(help_text=_("The minutes (berita acara), metadata only; null: none."))

    class Meta:
        model = CoachingClinic
        fields = ["id", "province", "number", "title", "date", "venue", "mode", "milestone", "regencies", "minutes"]

    def get_regencies(self, clinic: CoachingClinic) -> list[str]:
        return [regency.code for regency in clinic.regencies.all()]  # prefetched, in code order

    @extend_schema_field(StoredFileSerializer(allow_null=True))
    def get_minutes(self, clinic: CoachingClinic) -> Any:
        return stored_file(
            self.context, clinic.minutes, clinic.minutes_name or str(clinic), "clinic_minutes", clinic.pk
        )


class ClinicDetailSerializer(ClinicSerializer):
    opened_by = serializers.CharField(help_text=_("Who opened the clinic."))
    summary = serializers.CharField(help_text=_("The clinic's summary."))
    participant_count = serializers.SerializerMethodField(help_text=_("How many took part."))
    recommendations = ClinicRecommendationSerializer(
        source="recommendation_list", many=True, help_text=_("The recommendations, in order, with their actions.")
    )

    class Meta(ClinicSerializer.Meta):
        fields = [*ClinicSerializer.Meta.fields, "opened_by", "summary", "participant_count", "recommendations"]

    def get_participant_count(self, clinic: CoachingClinic) -> int:
        return len(clinic.participants.all())  # prefetched


class ClinicFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The query of /api/v1/clinics/."""

    province = serializers.CharField(required=False, help_text=_("Only this province's clinics (its code)."))
    regency = serializers.CharField(
        required=False, help_text=_("Only the clinics that covered this regency (its code).")
    )
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only the clinics held in this year."),
        error_messages={
            "invalid": _("Not a year: write it as four digits (e.g. 2024)."),
            "min_value": _("Not a year: write it as four digits (e.g. 2024)."),
            "max_value": _("Not a year: write it as four digits (e.g. 2024)."),
        },
    )
    from_ = serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        help_text=_("Only the clinics held on or after this day (YYYY-MM-DD)."),
        error_messages={"invalid": _("Not a date: write it as YYYY-MM-DD.")},
    )
    to = serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        help_text=_("Only the clinics held on or before this day (YYYY-MM-DD)."),
        error_messages={"invalid": _("Not a date: write it as YYYY-MM-DD.")},
    )

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # a keyword in Python, the parameter's name in the query
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start and end and start > end:
            raise serializers.ValidationError({"to": [_("The end of the period comes before its start.")]})
        return attrs


class FollowUpFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The query of /api/v1/follow-ups/."""

    status = serializers.ChoiceField(
        choices=FollowUpAction.Status.choices,
        required=False,
        help_text=_("Only actions with this status."),
        error_messages={"invalid_choice": _("“{input}” is not a follow-up status.")},
    )
    regency = serializers.CharField(
        required=False, help_text=_("Only the actions that belong to this regency (its code).")
    )
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: only overdue actions (open or in progress past their due date); false: none of them."),
        error_messages={"invalid": _("Write true or false.")},
    )


# Report jobs (/api/v1/reports/): the reports the web's Laporan page lists (regencies.scoping.reports_in_scope),
# each file only through the web's scope-checked download.
class ReportJobSerializer(serializers.ModelSerializer[ReportJob]):
    audience = serializers.ChoiceField(
        choices=Audience.choices, help_text=_("Whose report: national, provincial, balai or regency.")
    )
    province = serializers.CharField(
        source="province_id", allow_null=True, help_text=_("The province's code (a provincial report).")
    )
    balai = serializers.IntegerField(
        source="balai_id", allow_null=True, help_text=_("The Balai's id (a Balai report).")
    )
    regency = serializers.CharField(
        source="regency_id", allow_null=True, help_text=_("The regency's code (a regency report).")
    )
    scope_name = serializers.CharField(source="scope_label", help_text=_("The report's region, in words."))
    period_start = serializers.DateField(help_text=_("The first day of the report's period."))
    period_end = serializers.DateField(help_text=_("The last day of the report's period."))
    language = serializers.ChoiceField(choices=Language.choices, help_text=_("The report's language."))
    status = serializers.ChoiceField(
        choices=ReportJob.Status.choices, help_text=_("queued, running (compiling), done or failed.")
    )
    requested_at = serializers.DateTimeField(source="created_at", help_text=_("When the report was requested."))
    finished_at = serializers.DateTimeField(allow_null=True, help_text=_("When it was done or failed."))
    failure_reason = serializers.CharField(help_text=_("Why it failed, in words (empty: it did not)."))
    page_count = serializers.IntegerField(allow_null=True, help_text=_("The PDF's pages (null: not done)."))
    size = serializers.IntegerField(allow_null=True, help_text=_("The PDF's size in bytes (null: not done)."))
    sha256 = serializers.SerializerMethodField(
        help_text=_("The PDF file's SHA-256, in hex, for checking a copy (null: not done).")
    )
    download_url = serializers.SerializerMethodField(
        help_text=_(
            "Where to download the PDF (the web's download, checked against your working area); null: not done."
        )
    )

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "audience",
            "province",
            "balai",
            "regency",
            "scope_name",
            "period_start",
            "period_end",
            "language",
            "status",
            "requested_at",
            "finished_at",
            "failure_reason",
            "page_count",
            "size",
            "sha256",
            "download_url",
        ]

    def get_sha256(self, job: ReportJob) -> str | None:
        return job.sha256 or None

    def get_download_url(self, job: ReportJob) -> str | None:
        return _absolute(self.context, reverse("report_download", args=[job.pk])) if job.is_done else None
