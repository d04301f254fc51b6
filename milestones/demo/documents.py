"""Demo SSK documents, QA reviews and policy packages for Kalimantan Tengah.

Call ``seed_documents()`` after the regions and the demo users exist (regencies.demo). It is safe to
run again: everything is looked up by its natural key first, and nothing is duplicated.

- Barito Timur (62.13) and Murung Raya (62.12): an SSK 2022–2026 enacted by Perbup, with an
  accepted review by the provincial Pokja, and a committed policy package with an item of every kind;
- Kapuas (62.03): an updated SSK 2025–2029 back in quality assurance after a "revise" review.

Monitoring records are not seeded: the 2022 cohort's M4 ended in 2023 and the province has not
recorded later years in the demo. Instrument numbers start with DEMO so nobody takes them for real.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from milestones import evidence
from milestones.models import Cohort, PolicyItem, PolicyPackage, QualityReview, QualityReviewItem, SSKDocument
from regencies.models import Regency, Role, UserRole

BARITO_TIMUR, MURUNG_RAYA, KAPUAS = "62.13", "62.12", "62.03"
Chapter = QualityReviewItem.Chapter

ENACTED = {
    BARITO_TIMUR: {
        "number": "DEMO/Perbup/12/2022",
        "date": datetime.date(2022, 8, 15),
        "reviewed": datetime.datetime(2022, 7, 20, 10, 0),
    },
    MURUNG_RAYA: {
        "number": "DEMO/Perbup/7/2022",
        "date": datetime.date(2022, 9, 5),
        "reviewed": datetime.datetime(2022, 8, 10, 14, 0),
    },
}

KAPUAS_FINDINGS = {
    Chapter.PROGRAMMES: "Indikasi pendanaan belum memisahkan APBD, DAK dan Dana Desa per kegiatan.",
    Chapter.MONITORING: "Indikator pemantauan tahunan belum ditetapkan untuk layanan lumpur tinja.",
}

PACKAGE_ITEMS = [
    (
        PolicyItem.Kind.REGULATION,
        "Peraturan Bupati tentang pengelolaan air limbah domestik",
        "DEMO/Perbup/21/2022",
        PolicyItem.Status.ENACTED,
    ),
    (
        PolicyItem.Kind.INSTITUTION,
        "Pembentukan UPTD Pengelolaan Air Limbah Domestik",
        "DEMO/Perbup/22/2022",
        PolicyItem.Status.IMPLEMENTED,
    ),
    (
        PolicyItem.Kind.FUNDING,
        "Pemetaan pendanaan sanitasi (APBD, DAK, Dana Desa, CSR) untuk 2023–2026",
        "",
        PolicyItem.Status.IN_PROCESS,
    ),
    (
        PolicyItem.Kind.SERVICE,
        "Layanan lumpur tinja terjadwal (LLTT) di ibu kota kabupaten",
        "DEMO/SK-Bupati/LLTT/2022",
        PolicyItem.Status.IMPLEMENTED,
    ),
    (
        PolicyItem.Kind.PROMOTION,
        "Kampanye STBM dan sosialisasi penyedotan tangki septik berkala",
        "",
        PolicyItem.Status.PLANNED,
    ),
]


def _demo_pdf(regency: Regency):
    content = (
        b"%PDF-1.4\n% DEMO - Strategi Sanitasi " + regency.name.encode() + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    upload = SimpleUploadedFile(f"SSK {regency.name}.pdf", content, content_type="application/pdf")
    return upload, evidence.store(upload, evidence.identify(upload))


def _reviewer():
    role = (
        UserRole.objects.select_related("user")
        .filter(role=Role.PROVINCIAL_STAFF, province_id="62")
        .order_by("user__username")
        .first()
    )
    if role is None:
        raise RuntimeError("seed_documents() needs Kalimantan Tengah's demo Pokja user: run the user seed first.")
    return role.user


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment)


def _document(regency, period_start, kind, status, **fields) -> SSKDocument:
    upload, blob = _demo_pdf(regency)
    document, _ = SSKDocument.objects.get_or_create(
        regency=regency,
        period_start=period_start,
        defaults={
            "period_end": period_start + 4,
            "kind": kind,
            "status": status,
            "file": blob,
            "file_name": upload.name,
            **fields,
        },
    )
    return document


def _review(document, reviewer, *, at, outcome, findings=None, summary=""):
    findings = findings or {}
    if document.reviews.filter(outcome=outcome).exists():
        return
    review = QualityReview.objects.create(
        document=document, reviewer=reviewer, reviewed_at=_aware(at), outcome=outcome, summary=summary
    )
    QualityReviewItem.objects.bulk_create(
        QualityReviewItem(
            review=review, chapter=chapter, adequate=chapter not in findings, finding=findings.get(chapter, "")
        )
        for chapter in Chapter.values
    )


def _package(regency):
    package, _ = PolicyPackage.objects.get_or_create(
        regency=regency,
        title=f"Paket Kebijakan Sanitasi {regency.name} 2022",
        defaults={
            "status": PolicyPackage.Status.COMMITTED,
            "committed_on": datetime.date(2022, 6, 14),
            "cohort": Cohort.objects.filter(regency=regency, year_m1_m3=2022).first(),
            "notes": "Disusun Pokja dari rekomendasi Laporan Status Sanitasi (LSS); dikomitmenkan bupati pada CC3.",
        },
    )
    for kind, description, instrument, status in PACKAGE_ITEMS:
        PolicyItem.objects.get_or_create(
            package=package,
            kind=kind,
            description=description,
            defaults={"legal_instrument": instrument, "status": status},
        )


def seed_documents() -> None:
    reviewer = _reviewer()
    regencies = Regency.objects.in_bulk([BARITO_TIMUR, MURUNG_RAYA, KAPUAS])
    for code, enactment in ENACTED.items():
        regency = regencies[code]
        document = _document(
            regency,
            2022,
            SSKDocument.Kind.UPDATE,
            SSKDocument.Status.ENACTED,
            instrument=SSKDocument.Instrument.PERBUP,
            instrument_number=enactment["number"],
            instrument_date=enactment["date"],
        )
        _review(
            document,
            reviewer,
            at=enactment["reviewed"],
            outcome=QualityReview.Outcome.ACCEPTED,
            summary="Dokumen memenuhi kerangka SSK; lanjutkan ke penetapan Perbup.",
        )
        _package(regency)

    kapuas = _document(regencies[KAPUAS], 2025, SSKDocument.Kind.UPDATE, SSKDocument.Status.QUALITY_ASSURANCE)
    _review(
        kapuas,
        reviewer,
        at=datetime.datetime(2025, 5, 12, 9, 30),
        outcome=QualityReview.Outcome.REVISE,
        findings=KAPUAS_FINDINGS,
        summary="Perbaiki bab program dan kegiatan serta bab monitoring, lalu ajukan kembali.",
    )
