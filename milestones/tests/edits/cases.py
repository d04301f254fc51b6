"""The edit and create forms the conflict and double-submit tests walk (no tests here).

An edit case builds a record two users of the same role may edit, and names a field both change and a
field only the second user changes. A create case gives the form's URL, what a user types, and the rows
a save creates.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from milestones.models import (
    CoachingClinic,
    MilestoneUpdate,
    MonitoringRecord,
    NawasisSubmission,
    PolicyPackage,
    ProgrammeActivity,
    Recommendation,
    SSKDocument,
)
from milestones.services import documents as document_services
from milestones.tests import builders
from milestones.tests import clinic_builders as clinics
from milestones.tests import document_builders as documents
from milestones.tests.builders import pdf
from milestones.tests.clinics.test_clinic_pages import clinic_data
from milestones.tests.clinics.test_clinic_recommendations import recommendation_data
from milestones.tests.documents.test_monitoring import record_data
from milestones.tests.documents.test_policy import package_data
from milestones.tests.milestones.test_update_form import form_data as update_data
from milestones.tests.nawasis.test_nawasis import form_data as nawasis_data
from milestones.tests.planning.test_activities import activity, activity_data
from regencies.models import Province, Regency, UserRole
from reports.models import ReportJob, ReportSchedule


def colleague(user, *, staff=False):
    """A second user with the same role and region as ``user`` (``staff``: an administrator too)."""
    role = user.ssk_role
    other = get_user_model().objects.create_user(
        username=f"{user.username}_2",
        password="pw",
        first_name=f"{user.first_name} Dua",
        is_staff=staff,
        is_superuser=staff,
    )
    UserRole.objects.create(user=other, role=role.role, province=role.province, regency=role.regency, balai=role.balai)
    return other


def _kalteng():
    return Province.objects.get(code="62")


def _bartim():
    return Regency.objects.get(code="62.13")


def _user(name):
    return get_user_model().objects.get(username=name)


# --- Edit forms ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditCase:
    name: str
    persona: str
    url_name: str
    build: Any  # () -> the record
    field: str  # both users change it
    first: str  # the first user's value
    second: str  # the second user's value
    other: str | None = None  # only the second user changes it
    other_value: str = ""

    def __str__(self):
        return self.name


def _clinic():
    return clinics.clinic(_kalteng(), _user("pokja_kalteng"), regencies=[_bartim()], number=5)


def _recommendation():
    return clinics.recommendation(_clinic(), _user("pokja_kalteng"))


def _package():
    return document_services.save_policy_package(
        regency=_bartim(), actor=_user("officer_bartim"), title="Paket Kebijakan Sanitasi 2022", status="draft"
    )


def _monitoring():
    cohort = builders.cohort(_bartim(), 2022)
    return document_services.record_monitoring(
        cohort=cohort, actor=_user("pokja_kalteng"), year_index=3, assessment="on_track", summary="Sesuai rencana."
    )


EDIT_CASES = [
    EditCase(
        "clinic", "pokja_kalteng", "clinic_edit", _clinic, "title", "CC5 Barito Timur (A)", "CC5 (B)", "venue", "Aula B"
    ),
    EditCase(
        "recommendation",
        "pokja_kalteng",
        "recommendation_edit",
        _recommendation,
        "text",
        "Teks A.",
        "Teks B.",
        "order",
        "7",
    ),
    EditCase(
        "ssk_document",
        "officer_bartim",
        "document_edit",
        lambda: documents.draft(_bartim(), _user("officer_bartim")),
        "period_end",
        "2027",
        "2028",
    ),
    EditCase(
        "policy_package", "officer_bartim", "policy_edit", _package, "title", "Paket A", "Paket B", "notes", "Catatan B"
    ),
    EditCase(
        "activity",
        "officer_bartim",
        "activity_edit",
        lambda: activity(_bartim()),
        "name",
        "IPLT A",
        "IPLT B",
        "location",
        "Kec. B",
    ),
    EditCase("monitoring", "pokja_kalteng", "monitoring_edit", _monitoring, "summary", "Ringkasan A.", "Ringkasan B."),
]


# --- Create forms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateCase:
    name: str
    persona: str
    url: Any  # () -> the form's URL (building what it needs)
    data: Any  # () -> what the user types
    rows: Any  # () -> the queryset a save adds to
    typed: tuple[str, str] = field(default=("", ""))  # a field and its typed value, kept when refused

    def __str__(self):
        return self.name


def _with_cohort_url():
    builders.cohort(_bartim(), 2022)
    return reverse("monitoring_create", args=["62.13"])


def _recommendation_url():
    clinic = _clinic()
    return reverse("recommendation_create", args=[clinic.pk])


def _update_url():
    return reverse("update_create", args=[builders.milestone(_bartim(), 4).pk])


def _cohort():
    return _bartim().cohorts.get()


CREATE_CASES = [
    CreateCase(
        "clinic",
        "pokja_kalteng",
        lambda: reverse("clinic_create", args=["62"]),
        clinic_data,
        lambda: CoachingClinic.objects.filter(province="62", number=6),
        ("venue", "Aula Bappedalitbang Provinsi Kalimantan Tengah"),
    ),
    CreateCase(
        "recommendation",
        "pokja_kalteng",
        _recommendation_url,
        lambda: recommendation_data([], text="Pokja memantau RKPD."),
        lambda: Recommendation.objects.filter(text="Pokja memantau RKPD."),
        ("text", "Pokja memantau RKPD."),
    ),
    CreateCase(
        "ssk_document",
        "officer_bartim",
        lambda: reverse("document_create", args=["62.13"]),
        lambda: {"period_start": 2022, "period_end": 2026, "kind": "new", "file": pdf("SSK Bartim.pdf")},
        lambda: SSKDocument.objects.filter(regency="62.13"),
        ("period_end", "2026"),
    ),
    CreateCase(
        "policy_package",
        "officer_bartim",
        lambda: reverse("policy_create", args=["62.13"]),
        lambda: package_data([{"kind": "regulation", "description": "Perbup Air Limbah"}]),
        lambda: PolicyPackage.objects.filter(regency="62.13"),
        ("title", "Paket Kebijakan Sanitasi Barito Timur 2022"),
    ),
    CreateCase(
        "monitoring",
        "pokja_kalteng",
        _with_cohort_url,
        lambda: record_data(_cohort()),
        lambda: MonitoringRecord.objects.filter(cohort__regency="62.13"),
        ("summary", "Cakupan LLTT baru 40% dari target."),
    ),
    CreateCase(
        "activity",
        "officer_bartim",
        lambda: reverse("activity_create", args=["62.13"]),
        lambda: activity_data(code="AL-09"),
        lambda: ProgrammeActivity.objects.filter(regency="62.13", code="AL-09"),
        ("name", "Pembangunan IPLT Tamiang Layang"),
    ),
    CreateCase(
        "nawasis",
        "officer_bartim",
        lambda: reverse("nawasis_create", args=["62.13"]),
        nawasis_data,
        lambda: NawasisSubmission.objects.filter(regency="62.13"),
        ("notes", "EHRA 2023"),
    ),
    CreateCase(
        "milestone_update",
        "officer_bartim",
        _update_url,
        update_data,
        lambda: MilestoneUpdate.objects.filter(milestone__regency="62.13"),
        ("narrative", "LLTT berjalan di 10 kecamatan."),
    ),
    CreateCase(
        "report_schedule",
        "pokja_kalteng",
        lambda: reverse("schedule_create"),
        lambda: {
            "name": "Laporan bulanan Kalteng",
            "audience": "provincial",
            "province": "62",
            "day_of_month": "15",
            "language": "id",
            "recipients": "ketua@pokja-kalteng.go.id",
        },
        lambda: ReportSchedule.objects.filter(name="Laporan bulanan Kalteng"),
        ("recipients", "ketua@pokja-kalteng.go.id"),
    ),
    CreateCase(
        "report_request",
        "coordinator_kalteng",
        lambda: reverse("reports"),
        lambda: {
            "audience": "provincial",
            "province": "62",
            "period_start": "2023-01-01",
            "period_end": "2023-12-31",
            "language": "id",
        },
        lambda: ReportJob.objects.filter(requested_by__username="coordinator_kalteng"),
        ("period_start", "2023-01-01"),
    ),
]
