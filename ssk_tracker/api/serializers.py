"""What the API answers: stable English field names, descriptions (help_text) in the user's language."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from milestones.models import (
    Cohort,
    Evidence,
    HistoryEntry,
    IndicatorActual,
    Milestone,
    MilestoneUpdate,
    NawasisSubmission,
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
        url = reverse("evidence_download", args=[item.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


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
