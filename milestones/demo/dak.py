"""Demo DAK verification (``data/dak.toml``): Barito Timur's DAK readiness documents, one verified by
BPPW Kalimantan Tengah and one returned with its reason.

Call ``seed_dak()`` after the planning rows (the DAK budget lines) exist. It is safe to run again: a line
that already has readiness documents is skipped.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from milestones import evidence
from milestones.demo.loader import DemoDataError, build, demo_pdf, provincial_reviewer, read, regency_officer, tables
from milestones.models import BudgetLine, DakReadiness, FundingSource, ReviewStep
from milestones.services import dak as services
from regencies.models import Role, UserRole


@dataclass(frozen=True)
class Readiness:
    regency: str
    activity: str
    year: int
    files: tuple[str, ...]
    submitted: datetime.datetime
    note: str = ""
    verified: datetime.datetime | None = None
    returned: datetime.datetime | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.verified and self.returned:
            raise ValueError("readiness documents are verified or returned, not both")
        if bool(self.returned) != bool(self.reason):
            raise ValueError("returned documents need their reason, and only returned ones have one")
        if not self.files:
            raise ValueError("readiness documents need at least one file")


def load_readiness() -> list[Readiness]:
    name = "dak.toml"
    rows = tables(read(name, "readiness")["readiness"], f"{name}: readiness")
    return [
        build(Readiness, {**row, "files": tuple(row.get("files", ()))}, f"{name}: readiness {number}")
        for number, row in enumerate(rows, start=1)
    ]


def _balai_user(province_code: str):
    role = (
        UserRole.objects.select_related("user")
        .filter(role=Role.BALAI_STAFF, balai__provinces=province_code)
        .order_by("user__username")
        .first()
    )
    if role is None:
        raise DemoDataError(f"dak.toml: no Balai user covers province {province_code}; run the user seed first")
    return role.user


def _upload(title: str, item: Readiness) -> tuple[SimpleUploadedFile, evidence.FileKind]:
    disclaimer = "DOKUMEN CONTOH untuk demo SSK Tracker - bukan dokumen resmi."
    upload = SimpleUploadedFile(f"{title}.pdf", demo_pdf([title, f"DAK {item.year}", "", disclaimer]))
    return upload, evidence.identify(upload)


def seed_dak() -> list[DakReadiness]:
    """Create the demo readiness documents; returns those created this time."""
    created = []
    fallback = provincial_reviewer()
    with transaction.atomic():
        for item in load_readiness():
            line = BudgetLine.objects.filter(
                activity__regency=item.regency, activity__code=item.activity, year=item.year, source=FundingSource.DAK
            ).first()
            if line is None:
                raise DemoDataError(f"dak.toml: no DAK line of {item.regency} {item.activity} in {item.year}")
            if DakReadiness.objects.filter(budget_line=line).exists():
                continue
            officer = regency_officer(item.regency, fallback)
            balai = _balai_user(item.regency.split(".")[0])
            readiness = services.upload_readiness(
                line=line, actor=officer, files=[_upload(title, item) for title in item.files], note=item.note
            )
            services.submit_readiness(readiness=readiness, actor=officer)
            if item.verified:
                services.verify_readiness(readiness=readiness, reviewer=balai)
            elif item.returned:
                services.return_readiness(readiness=readiness, reviewer=balai, reason=item.reason)
            # The demo's own times, not the seed's.
            decided = item.verified or item.returned
            DakReadiness.objects.filter(pk=readiness.pk).update(
                created_at=item.submitted, submitted_at=item.submitted, decided_at=decided
            )
            steps = ReviewStep.objects.filter(
                content_type=ContentType.objects.get_for_model(DakReadiness), object_id=readiness.pk
            )
            steps.filter(action=ReviewStep.Action.SUBMITTED).update(at=item.submitted)
            if decided:
                steps.exclude(action=ReviewStep.Action.SUBMITTED).update(at=decided)
            created.append(readiness)
    return created
