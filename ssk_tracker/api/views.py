"""The read-only REST API, /api/v1/: thin views over the scope (regencies/scoping.py) and the selectors, so
the API sees exactly what the web shows the same user; outside the scope is 404."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.serializers import BaseSerializer

from milestones.models import (
    CoachingClinic,
    Cohort,
    FollowUpAction,
    FollowUpClosing,
    HistoryEntry,
    Milestone,
    MilestoneUpdate,
    NawasisSubmission,
    ProgrammeActivity,
    SSKDocument,
)
from milestones.selectors import clinics as clinic_selectors
from milestones.selectors import documents as document_selectors
from milestones.selectors import figures
from milestones.selectors import indicators as indicator_selectors
from milestones.selectors import milestones as milestone_selectors
from milestones.selectors import nawasis as nawasis_selectors
from milestones.selectors import planning as planning_selectors
from milestones.selectors import service_records as service_selectors
from regencies import scoping
from regencies.models import Province, Regency
from reports.models import ReportJob
from ssk_tracker.api import serializers


class RegencyRows:
    """A list of one regency's rows: the regency from the URL through the scope (404 outside it), the rows
    from ``rows``. The schema's pass has no user and no regency: it gets ``empty``."""

    empty: Any = ()
    request: Any
    kwargs: dict[str, Any]

    def rows(self, regency: Regency) -> Any:
        raise NotImplementedError

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return self.empty
        return self.rows(scoping.get_regency_or_404(self.request.user, self.kwargs["code"]))


@extend_schema_view(
    get=extend_schema(
        summary=_("Provinces"),
        description=_("The provinces in your working area (a regency officer: the regency's province)."),
    )
)
class ProvinceList(generics.ListAPIView[Province]):
    serializer_class = serializers.ProvinceSerializer

    def get_queryset(self) -> QuerySet[Province]:
        return scoping.visible_provinces(self.request.user).order_by("code")


@extend_schema_view(get=extend_schema(summary=_("One province"), description=_("A province in your working area.")))
class ProvinceDetail(generics.RetrieveAPIView[Province]):
    serializer_class = serializers.ProvinceSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Province]:
        return scoping.visible_provinces(self.request.user)


@extend_schema_view(
    get=extend_schema(
        summary=_("Regencies"),
        description=_("The regencies and cities in your working area."),
        parameters=[OpenApiParameter("province", str, description=_("Only this province's regencies (its code)."))],
    )
)
class RegencyList(generics.ListAPIView[Regency]):
    serializer_class = serializers.RegencySerializer

    def get_queryset(self) -> QuerySet[Regency]:
        regencies = scoping.visible_regencies(self.request.user).order_by("code")
        province = self.request.query_params.get("province")
        return regencies.filter(province_id=province) if province else regencies


@extend_schema_view(get=extend_schema(summary=_("One regency"), description=_("A regency in your working area.")))
class RegencyDetail(generics.RetrieveAPIView[Regency]):
    serializer_class = serializers.RegencySerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Regency]:
        return scoping.visible_regencies(self.request.user)


def query_of(view: Any, serializer_class: type[BaseSerializer[Any]]) -> dict[str, Any]:
    """The request's query validated by ``serializer_class``: 400 ``invalid`` (per parameter, in the user's
    language) when a value is wrong; the schema's pass (no request to speak of) gets no filters."""
    if getattr(view, "swagger_fake_view", False):
        return {}
    given = {name: value for name, value in view.request.query_params.items() if value != ""}  # ?year= : no filter
    query = serializer_class(data=given)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


@extend_schema_view(
    get=extend_schema(
        summary=_("A regency's milestones"),
        description=_(
            "M1–M4 of every cohort of the regency, with their status; with as_of, each milestone's status, "
            "progress and dates as they stood at the end of that day (WIB), read back from its history."
        ),
        parameters=[serializers.MilestoneFilterSerializer],
    )
)
class RegencyMilestoneList(RegencyRows, generics.ListAPIView[Milestone]):
    serializer_class = serializers.MilestoneStateSerializer

    empty = Milestone.objects.none()

    def rows(self, regency: Regency) -> QuerySet[Milestone]:
        query = query_of(self, serializers.MilestoneFilterSerializer)
        as_of = figures.as_of_moment(query["as_of"], timezone.now()) if "as_of" in query else None
        milestones = (
            milestone_selectors.milestones_in_scope(self.request.user)
            .filter(regency=regency)
            .select_related("definition", "cohort")
            .prefetch_related("definition__requirements")
            .order_by("cohort__year_m1_m3", "definition__number", "pk")
        )
        stated = figures.with_state(milestones, timezone.localdate(), as_of)
        return stated.filter(status_as_of=query["status"]) if "status" in query else stated


@extend_schema_view(
    get=extend_schema(
        summary=_("A regency's cohorts"),
        description=_("The regency's cohorts, newest first: the years of M1–M3 and of M4, and the decree."),
    )
)
class RegencyCohortList(RegencyRows, generics.ListAPIView[Cohort]):
    serializer_class = serializers.CohortSerializer

    empty = Cohort.objects.none()

    def rows(self, regency: Regency) -> QuerySet[Cohort]:
        return milestone_selectors.regency_cohorts(regency)


@extend_schema_view(get=extend_schema(summary=_("One milestone"), description=_("A milestone in your working area.")))
class MilestoneDetail(generics.RetrieveAPIView[Milestone]):
    serializer_class = serializers.MilestoneSerializer

    def get_object(self) -> Milestone:
        return milestone_selectors.milestone_for_user(self.request.user, self.kwargs["pk"])

    def get_queryset(self) -> QuerySet[Milestone]:  # for the schema only; get_object reads through the selector
        return Milestone.objects.none()


@extend_schema_view(
    get=extend_schema(
        summary=_("A milestone's updates"),
        description=_(
            "The milestone's updates, newest first, as the milestone page shows them: each with its history and "
            "its files' metadata; a file is downloaded from its download_url (checked against your working area)."
        ),
    )
)
class MilestoneUpdateList(generics.ListAPIView[MilestoneUpdate]):
    serializer_class = serializers.MilestoneUpdateSerializer

    def get_queryset(self) -> QuerySet[MilestoneUpdate]:
        if getattr(self, "swagger_fake_view", False):  # the schema's pass: no user, no milestone
            return MilestoneUpdate.objects.none()
        milestone = milestone_selectors.milestone_for_user(self.request.user, self.kwargs["pk"])
        return milestone_selectors.milestone_updates(milestone)

    def paginate_queryset(self, queryset: QuerySet[MilestoneUpdate]) -> Sequence[Any] | None:
        page = super().paginate_queryset(queryset)
        if page is not None:
            with_history_and_files(page)
        return page


def with_history_and_files(updates: Sequence[MilestoneUpdate]) -> None:
    """What MilestoneUpdateSerializer reads of the updates shown, one query each: their files
    (attach_evidence, as the milestone page), their history and the requirements they claim."""
    milestone_selectors.attach_evidence(updates)
    history = HistoryEntry.objects.select_related("actor").order_by("at", "pk")
    prefetch_related_objects(list(updates), Prefetch("history", queryset=history), "requirements_met")


@extend_schema_view(
    get=extend_schema(
        summary=_("A regency's outcome indicators"),
        description=_(
            "Every defined outcome indicator with the regency's baseline, targets and actuals (each with its "
            "review state), as the regency's indicator page shows them; not a page: the list is short."
        ),
    )
)
class RegencyIndicatorList(RegencyRows, generics.ListAPIView[Any]):
    serializer_class = serializers.RegencyIndicatorSerializer
    pagination_class = None  # one row per defined indicator, a handful

    def rows(self, regency: Regency) -> list[indicator_selectors.IndicatorRow]:
        return indicator_selectors.regency_indicators(regency)


@extend_schema_view(
    get=extend_schema(
        summary=_("A regency's services"),
        description=_(
            "The regency's sanitation services, one per kind with a record or a full scale set by the province: "
            "model, operator, households, volume, kecamatan covered (n of N) and the full scale; not a page."
        ),
    )
)
class RegencyServiceList(RegencyRows, generics.ListAPIView[Any]):
    serializer_class = serializers.ServiceCoverageSerializer
    pagination_class = None  # one row per service kind, a handful

    def rows(self, regency: Regency) -> list[service_selectors.Coverage]:
        return service_selectors.regency_services(regency).coverages


@extend_schema_view(
    get=extend_schema(
        summary=_("A regency's activities"),
        description=_(
            "The regency's programme activities by code, each with its planning-document rows (RPJMD, RKPD, "
            "Renstra-PD, Renja-PD) and its budget lines per year and funding source."
        ),
    )
)
class RegencyActivityList(RegencyRows, generics.ListAPIView[ProgrammeActivity]):
    serializer_class = serializers.ActivitySerializer

    empty = ProgrammeActivity.objects.none()

    def rows(self, regency: Regency) -> QuerySet[ProgrammeActivity]:
        return planning_selectors.activities_with_rows(regency)


@extend_schema_view(
    get=extend_schema(
        summary=_("A regency's NAWASIS entries"),
        description=_(
            "What the regency entered in NAWASIS, newest entry first: module, day, the completeness NAWASIS "
            "reported, and whether the province verified it."
        ),
    )
)
class RegencyNawasisList(RegencyRows, generics.ListAPIView[NawasisSubmission]):
    serializer_class = serializers.NawasisSubmissionSerializer

    empty = NawasisSubmission.objects.none()

    def rows(self, regency: Regency) -> QuerySet[NawasisSubmission]:
        return nawasis_selectors.regency_submissions(regency)


@extend_schema_view(
    get=extend_schema(
        summary=_("A regency's SSK documents"),
        description=_(
            "The regency's SSK documents, newest period first: status, period, the legal instrument, the "
            "latest provincial quality-assurance review, and the file's metadata (downloaded from its "
            "download_url, checked against your working area)."
        ),
    )
)
class RegencyDocumentList(RegencyRows, generics.ListAPIView[SSKDocument]):
    serializer_class = serializers.SSKDocumentSerializer

    empty = SSKDocument.objects.none()

    def rows(self, regency: Regency) -> QuerySet[SSKDocument]:
        return document_selectors.regency_documents(regency).select_related("file")


@extend_schema_view(
    get=extend_schema(
        summary=_("Coaching clinics"),
        description=_(
            "The coaching clinics in your working area, newest first (a regency officer: those that covered "
            "the regency), each with the regencies it covered and its minutes' metadata."
        ),
        parameters=[serializers.ClinicFilterSerializer],
    )
)
class ClinicList(generics.ListAPIView[CoachingClinic]):
    serializer_class = serializers.ClinicSerializer

    def get_queryset(self) -> QuerySet[CoachingClinic]:
        query = query_of(self, serializers.ClinicFilterSerializer)
        clinics = clinic_selectors.clinics_in_scope(self.request.user)
        if "province" in query:
            clinics = clinics.filter(province=query["province"])
        if "regency" in query:
            clinics = clinics.filter(regencies=query["regency"])
        if "year" in query:
            clinics = clinics.filter(date__year=query["year"])
        if "from" in query:
            clinics = clinics.filter(date__gte=query["from"])
        if "to" in query:
            clinics = clinics.filter(date__lte=query["to"])
        return (
            clinics.select_related("milestone", "minutes")
            .prefetch_related(Prefetch("regencies", queryset=Regency.objects.order_by("code")))
            .order_by("-date", "-pk")
        )


def with_closings(actions: Sequence[FollowUpAction]) -> None:
    """Each action's closings, newest first (``closing_list``, read by the serializer's closing_state): one query."""
    closings = FollowUpClosing.objects.order_by("-created_at", "-pk")
    prefetch_related_objects(list(actions), Prefetch("closings", queryset=closings, to_attr="closing_list"))


@extend_schema_view(
    get=extend_schema(
        summary=_("One coaching clinic"),
        description=_(
            "A clinic in your working area: the regencies it covered, how many took part, its minutes' "
            "metadata, and its recommendations, each with the follow-up actions you may see (as the clinic "
            "page shows them to you)."
        ),
    )
)
class ClinicDetail(generics.RetrieveAPIView[CoachingClinic]):
    serializer_class = serializers.ClinicDetailSerializer

    def get_object(self) -> CoachingClinic:
        clinic = clinic_selectors.clinic_for_user(self.request.user, self.kwargs["pk"])
        recommendations = clinic.recommendation_list
        with_closings([action for recommendation in recommendations for action in recommendation.visible_actions])
        return clinic

    def get_queryset(self) -> QuerySet[CoachingClinic]:  # for the schema only; get_object reads through the selector
        return CoachingClinic.objects.none()

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}


@extend_schema_view(
    get=extend_schema(
        summary=_("Follow-up actions"),
        description=_(
            "The clinics' follow-up actions in your working area, soonest due first (a regency officer: as the "
            "clinic pages show them, none of another regency's): owner, due date, status and closing state."
        ),
        parameters=[serializers.FollowUpFilterSerializer],
    )
)
class FollowUpList(generics.ListAPIView[FollowUpAction]):
    serializer_class = serializers.FollowUpActionSerializer

    def get_queryset(self) -> QuerySet[FollowUpAction]:
        query = query_of(self, serializers.FollowUpFilterSerializer)
        actions = clinic_selectors.actions_in_scope(self.request.user)
        if "status" in query:
            actions = actions.filter(status=query["status"])
        if "regency" in query:
            actions = clinic_selectors.belonging_to(actions, query["regency"])
        if query.get("overdue") is not None:
            overdue = FollowUpAction.overdue_q(timezone.localdate())
            actions = actions.filter(overdue) if query["overdue"] else actions.exclude(overdue)
        return actions.select_related(*clinic_selectors.ITEM_RELATED, "recommendation").order_by("due_date", "pk")

    def paginate_queryset(self, queryset: QuerySet[FollowUpAction]) -> Sequence[Any] | None:
        page = super().paginate_queryset(queryset)
        if page is not None:
            with_closings(page)
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}


def reports_of(user: Any) -> QuerySet[ReportJob]:
    """The report jobs the user may see, as the web's Laporan page lists them (its rule: scoping)."""
    return scoping.reports_in_scope(
        user, ReportJob.objects.select_related("province", "balai", "regency").order_by("-created_at", "-pk")
    )


@extend_schema_view(
    get=extend_schema(
        summary=_("Reports"),
        description=_(
            "The PDF reports of your working area, newest request first: audience, region, period, state, and "
            "for a done report its file's size, SHA-256 and download_url (the web's download, checked against "
            "your working area; the API serves no files)."
        ),
    )
)
class ReportList(generics.ListAPIView[ReportJob]):
    serializer_class = serializers.ReportJobSerializer

    def get_queryset(self) -> QuerySet[ReportJob]:
        if getattr(self, "swagger_fake_view", False):
            return ReportJob.objects.none()
        if not scoping.report_audiences(self.request.user):  # as the Laporan page: 403 without a working area
            raise PermissionDenied
        return reports_of(self.request.user)


@extend_schema_view(get=extend_schema(summary=_("One report"), description=_("A report of your working area.")))
class ReportDetail(generics.RetrieveAPIView[ReportJob]):
    serializer_class = serializers.ReportJobSerializer

    def get_queryset(self) -> QuerySet[ReportJob]:
        if getattr(self, "swagger_fake_view", False):
            return ReportJob.objects.none()
        return reports_of(self.request.user)
