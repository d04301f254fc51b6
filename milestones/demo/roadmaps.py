"""Demo provincial documents (``data/roadmaps.toml``): Kalimantan Tengah's roadmap, returned once by the
national Pokja and verified after its revision, and the province's policy package. Each decision is a
quality-assurance review with a finding per chapter (as the SSK's), its return reason made as the service
makes it (``services.documents.review_reason``).

Call ``seed_roadmaps()`` after the demo users exist. Safe to run again: a province's roadmap of that period,
or a policy document of that title, that already exists is skipped.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from milestones import evidence
from milestones.demo.loader import DemoDataError, build, choices, demo_pdf, provincial_reviewer, read, tables
from milestones.models import (
    Blob,
    ProvincialPolicy,
    ProvincialRoadmap,
    QualityReview,
    QualityReviewItem,
    ReviewState,
    ReviewStep,
)
from milestones.services.documents import ChapterFinding, review_reason
from regencies.models import Province, Role, UserRole

Step = ReviewStep.Action
Chapter = QualityReviewItem.Chapter
STATE_AFTER = {
    Step.SUBMITTED: ReviewState.SUBMITTED,
    Step.RETURNED: ReviewState.RETURNED,
    Step.VERIFIED: ReviewState.VERIFIED,
    Step.REOPENED: ReviewState.DRAFT,
}


@dataclass(frozen=True)
class RoadmapStep:
    """One review step; a returned or verified one is the national Pokja's QA review, ``findings`` naming
    the chapters found wanting (the others adequate) and ``comment`` its summary."""

    action: str = field(metadata=choices(ReviewStep.Action))
    at: datetime.datetime
    comment: str = ""
    findings: dict[str, str] = field(default_factory=dict, metadata=choices(Chapter))

    def chapter_findings(self) -> list[ChapterFinding]:
        return [ChapterFinding(c, c not in self.findings, self.findings.get(c, "")) for c in Chapter.values]

    @property
    def reason(self) -> str:
        """What the step's history row says: a return's reason as the service writes it, else the comment."""
        return review_reason(self.comment, self.chapter_findings()) if self.action == Step.RETURNED else self.comment


@dataclass(frozen=True)
class Roadmap:
    province: str
    title: str
    period_start: int
    period_end: int
    created: datetime.datetime
    steps: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Policy:
    province: str
    title: str
    kind: str = field(default="pergub", metadata=choices(ProvincialPolicy.Kind))
    status: str = field(default="draft", metadata=choices(ProvincialPolicy.Status))
    number: str = ""
    enacted_on: datetime.date | None = None


def load_roadmaps() -> tuple[list[Roadmap], list[Policy]]:
    name = "roadmaps.toml"
    document = read(name, "roadmaps", "policies")
    roadmaps = [
        build(Roadmap, row, f"{name}: roadmap {n}")
        for n, row in enumerate(tables(document["roadmaps"], f"{name}: roadmaps"), 1)
    ]
    policies = [
        build(Policy, row, f"{name}: policy {n}")
        for n, row in enumerate(tables(document["policies"], f"{name}: policies"), 1)
    ]
    return roadmaps, policies


def _national_reviewer():
    role = UserRole.objects.select_related("user").filter(role=Role.NATIONAL).order_by("user__username").first()
    if role is None:
        raise RuntimeError("The demo needs the national Pokja's demo user: run the user seed first.")
    return role.user


def _file(name: str, lines: list[str]) -> tuple[Blob, str]:
    upload = SimpleUploadedFile(name, demo_pdf(lines), content_type="application/pdf")
    return evidence.store(upload, evidence.identify(upload)), name


def seed_roadmaps() -> list[ProvincialRoadmap]:
    """Create the demo roadmaps and policy documents; returns the roadmaps created this time."""
    roadmaps, policies = load_roadmaps()
    pokja, national = provincial_reviewer(), _national_reviewer()
    created = []
    with transaction.atomic():
        provinces = Province.objects.in_bulk({s.province for s in roadmaps} | {p.province for p in policies})
        for spec in roadmaps:
            if ProvincialRoadmap.objects.filter(province=spec.province, period_start=spec.period_start).exists():
                continue
            created.append(_roadmap(provinces[spec.province], spec, pokja, national))
        for policy in policies:
            if ProvincialPolicy.objects.filter(province=policy.province, title=policy.title).exists():
                continue
            enacted = policy.status == ProvincialPolicy.Status.ENACTED
            blob, name = _file(f"{policy.title[:80]}.pdf", ["DEMO", policy.title, policy.number])
            ProvincialPolicy.objects.create(
                province=provinces[policy.province],
                kind=policy.kind,
                title=policy.title,
                status=policy.status,
                number=policy.number,
                enacted_on=policy.enacted_on,
                file=blob if enacted else None,
                file_name=name if enacted else "",
            )
    return created


def _roadmap(province: Province, spec: Roadmap, pokja, national) -> ProvincialRoadmap:
    steps = [build(RoadmapStep, row, f"roadmaps.toml: {spec.title}: step {n}") for n, row in enumerate(spec.steps, 1)]
    blob, name = _file(f"Roadmap Sanitasi Provinsi {province.name}.pdf", ["DEMO", spec.title])
    fields: dict = {"review_state": ReviewState.DRAFT}
    for step in steps:
        if step.action == Step.RETURNED and not (step.comment or step.findings):
            raise DemoDataError(f"roadmaps.toml: {spec.title}: a returned step needs its findings or a comment")
        if step.findings and step.action != Step.RETURNED:
            raise DemoDataError(f"roadmaps.toml: {spec.title}: only a returned step has chapter findings")
        fields["review_state"] = STATE_AFTER[Step(step.action)]
        if step.action == Step.SUBMITTED:
            fields.update(submitted_at=step.at, submitted_by=pokja)
        elif step.action in (Step.RETURNED, Step.VERIFIED):
            fields.update(decided_at=step.at, decided_by=national)
            fields["return_reason"] = step.reason if step.action == Step.RETURNED else ""
        elif step.action == Step.REOPENED:
            fields.update(decided_at=None, decided_by=None)
    roadmap = ProvincialRoadmap.objects.create(
        province=province,
        title=spec.title,
        period_start=spec.period_start,
        period_end=spec.period_end,
        file=blob,
        file_name=name,
        **fields,
    )
    ProvincialRoadmap.objects.filter(pk=roadmap.pk).update(created_at=spec.created)
    content_type = ContentType.objects.get_for_model(roadmap)
    ReviewStep.objects.bulk_create(
        ReviewStep(
            content_type=content_type,
            object_id=roadmap.pk,
            action=step.action,
            actor=pokja if step.action == Step.SUBMITTED else national,
            at=step.at,
            comment=step.reason,
        )
        for step in steps
    )
    for step in steps:
        if step.action in (Step.RETURNED, Step.VERIFIED):
            _quality_review(roadmap, national, step)
    return roadmap


def _quality_review(roadmap: ProvincialRoadmap, national, step: RoadmapStep) -> None:
    accepted = step.action == Step.VERIFIED
    review = QualityReview.objects.create(
        roadmap=roadmap,
        reviewer=national,
        reviewed_at=step.at,
        outcome=QualityReview.Outcome.ACCEPTED if accepted else QualityReview.Outcome.REVISE,
        summary=step.comment,
    )
    QualityReviewItem.objects.bulk_create(
        QualityReviewItem(review=review, chapter=f.chapter, adequate=f.adequate, finding=f.finding)
        for f in step.chapter_findings()
    )
