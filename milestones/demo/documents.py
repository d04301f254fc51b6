"""Demo SSK documents, QA reviews and policy packages for Kalimantan Tengah (``data/documents.toml``).

Call ``seed_documents()`` after the regions, the demo users and the milestones exist (a package
belongs to its regency's cohort). It is safe to run again: everything is looked up by its natural
key first, and nothing is duplicated.

- Barito Timur (62.13) and Murung Raya (62.12): an SSK 2022–2026 enacted by Perbup, with an
  accepted review by the provincial Pokja, and a committed policy package with an item of every kind;
- Kapuas (62.03): an updated SSK 2025–2029 back in quality assurance after a "revise" review, the
  revision sent days before the demo's day (dated back from it, see data/README.md).

The yearly monitoring records are seeded by ``demo/monitoring.py``. Instrument numbers start with DEMO so
nobody takes them for real.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from milestones import evidence
from milestones.demo.loader import build, choices, provincial_reviewer, read, tables
from milestones.models import Cohort, PolicyItem, PolicyPackage, QualityReview, QualityReviewItem, SSKDocument
from regencies.models import Regency

Chapter = QualityReviewItem.Chapter


@dataclass(frozen=True)
class Review:
    """A quality-assurance review; ``findings`` names the chapters found wanting (the others are adequate)."""

    reviewed_at: datetime.datetime
    outcome: str = field(metadata=choices(QualityReview.Outcome))
    summary: str = ""
    findings: dict[str, str] = field(default_factory=dict, metadata=choices(Chapter))


@dataclass(frozen=True)
class Document:
    regency: str
    period_start: int
    period_end: int
    kind: str = field(metadata=choices(SSKDocument.Kind))
    status: str = field(metadata=choices(SSKDocument.Status))
    instrument: str = field(default="", metadata=choices(SSKDocument.Instrument))
    instrument_number: str = ""
    instrument_date: datetime.date | None = None
    reviews: tuple[Review, ...] = ()
    # When the regency uploaded it and when it last changed it (a document in QA waits since then).
    created: datetime.datetime | None = None
    updated: datetime.datetime | None = None


@dataclass(frozen=True)
class Item:
    kind: str = field(metadata=choices(PolicyItem.Kind))
    description: str
    status: str = field(metadata=choices(PolicyItem.Status))
    legal_instrument: str = ""


@dataclass(frozen=True)
class Package:
    """A policy package; ``{regency}`` in the title is the regency's name, ``cohort_year`` its cohort."""

    regency: str
    title: str
    status: str = field(metadata=choices(PolicyPackage.Status))
    committed_on: datetime.date | None = None
    cohort_year: int | None = None
    notes: str = ""
    items: tuple[Item, ...] = ()


def load_documents() -> tuple[list[Document], list[Package]]:
    name = "documents.toml"
    data = read(name, "documents", "packages")
    documents = []
    for number, row in enumerate(tables(data["documents"], f"{name}: documents"), start=1):
        where = f"{name}: document {number} ({row.get('regency', '?')})"
        reviews = tuple(
            build(Review, review, f"{where}, review {index}")
            for index, review in enumerate(tables(row.pop("reviews", []), f"{where}: reviews"), start=1)
        )
        documents.append(build(Document, row, where, reviews=reviews))
    packages = []
    for number, row in enumerate(tables(data["packages"], f"{name}: packages"), start=1):
        where = f"{name}: package {number} ({row.get('regency', '?')})"
        items = tuple(
            build(Item, item, f"{where}, item {index}")
            for index, item in enumerate(tables(row.pop("items", []), f"{where}: items"), start=1)
        )
        packages.append(build(Package, row, where, items=items))
    return documents, packages


def seed_documents() -> list[SSKDocument]:
    """Create the demo SSK documents, reviews and packages; returns the documents created this time."""
    documents, packages = load_documents()
    reviewer = provincial_reviewer()
    created = []
    with transaction.atomic():
        regencies = Regency.objects.in_bulk({spec.regency for spec in [*documents, *packages]})
        for spec in documents:
            document, is_new = _document(regencies[spec.regency], spec)
            if is_new:
                created.append(document)
                stamps = {"created_at": spec.created, "updated_at": spec.updated or spec.created}
                SSKDocument.objects.filter(pk=document.pk).update(**{k: v for k, v in stamps.items() if v})
            for review in spec.reviews:
                _review(document, reviewer, review)
        for spec in packages:
            _package(regencies[spec.regency], spec)
    return created


def _demo_pdf(regency: Regency):
    content = (
        b"%PDF-1.4\n% DEMO - Strategi Sanitasi " + regency.name.encode() + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    upload = SimpleUploadedFile(f"SSK {regency.name}.pdf", content, content_type="application/pdf")
    return upload, evidence.store(upload, evidence.identify(upload))


def _document(regency: Regency, spec: Document) -> tuple[SSKDocument, bool]:
    upload, blob = _demo_pdf(regency)
    return SSKDocument.objects.get_or_create(
        regency=regency,
        period_start=spec.period_start,
        defaults={
            "period_end": spec.period_end,
            "kind": spec.kind,
            "status": spec.status,
            "file": blob,
            "file_name": upload.name,
            "instrument": spec.instrument,
            "instrument_number": spec.instrument_number,
            "instrument_date": spec.instrument_date,
        },
    )


def _review(document: SSKDocument, reviewer, spec: Review) -> None:
    if document.reviews.filter(outcome=spec.outcome).exists():
        return
    review = QualityReview.objects.create(
        document=document, reviewer=reviewer, reviewed_at=spec.reviewed_at, outcome=spec.outcome, summary=spec.summary
    )
    QualityReviewItem.objects.bulk_create(
        QualityReviewItem(
            review=review,
            chapter=chapter,
            adequate=chapter not in spec.findings,
            finding=spec.findings.get(chapter, ""),
        )
        for chapter in Chapter.values
    )


def _package(regency: Regency, spec: Package) -> None:
    cohort = Cohort.objects.filter(regency=regency, year_m1_m3=spec.cohort_year).first() if spec.cohort_year else None
    package, _ = PolicyPackage.objects.get_or_create(
        regency=regency,
        title=spec.title.format(regency=regency.name),
        defaults={"status": spec.status, "committed_on": spec.committed_on, "cohort": cohort, "notes": spec.notes},
    )
    for item in spec.items:
        PolicyItem.objects.get_or_create(
            package=package,
            kind=item.kind,
            description=item.description,
            defaults={"legal_instrument": item.legal_instrument, "status": item.status},
        )
