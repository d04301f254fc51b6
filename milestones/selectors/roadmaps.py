"""Reads of the province's own documents: its roadmap (with the national review's history) and its policy
package. The province page, the roadmap page and the reports all read them here (one source)."""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from milestones.models import ProvincialPolicy, ProvincialRoadmap, QualityReview, ReviewState, ReviewStep
from milestones.selectors import review as review_selectors
from milestones.selectors.documents import reviews_newest_first
from regencies import scoping
from regencies.models import Province
from regencies.scoping import Scope
from ssk_tracker.lib.users import AnyUser


@dataclass(frozen=True)
class ProvinceDocuments:
    """A province's roadmap (the newest period), its review history, and its policy package."""

    province: Province
    roadmap: ProvincialRoadmap | None
    history: list[ReviewStep] = field(default_factory=list)
    quality_reviews: list[QualityReview] = field(default_factory=list)  # the roadmap's, newest first
    policies: list[ProvincialPolicy] = field(default_factory=list)

    @property
    def enacted_policies(self) -> int:
        return sum(1 for p in self.policies if p.status == ProvincialPolicy.Status.ENACTED)


def province_documents(province: Province) -> ProvinceDocuments:
    """Five queries: the roadmap, its history, its quality-assurance reviews with their items, the policy
    documents."""
    roadmap = ProvincialRoadmap.objects.filter(province=province).select_related("decided_by").first()
    history = list(review_selectors.history(roadmap)) if roadmap is not None else []
    quality_reviews = list(reviews_newest_first(with_items=True).filter(roadmap=roadmap)) if roadmap else []
    policies = list(ProvincialPolicy.objects.filter(province=province))
    return ProvinceDocuments(
        province=province, roadmap=roadmap, history=history, quality_reviews=quality_reviews, policies=policies
    )


def roadmaps_in_scope(user: AnyUser) -> QuerySet[ProvincialRoadmap]:
    return roadmaps_in(scoping.scope_for(user))


def roadmaps_in(scope: Scope) -> QuerySet[ProvincialRoadmap]:
    return ProvincialRoadmap.objects.filter(province__in=scoping.provinces_in(scope)).select_related("province")


def roadmap_for_user(user: AnyUser, pk: int) -> ProvincialRoadmap:
    """A roadmap of a province the user sees in full; 404 otherwise (a regency officer sees none)."""
    if not scoping.sees_whole_provinces(user):
        raise Http404
    return scoping.get_or_404(roadmaps_in_scope(user).select_related("file"), pk=pk)


def policy_for_user(user: AnyUser, pk: int) -> ProvincialPolicy:
    if not scoping.sees_whole_provinces(user):
        raise Http404
    provinces = scoping.visible_provinces(user)
    return scoping.get_or_404(ProvincialPolicy.objects.filter(province__in=provinces).select_related("file"), pk=pk)


@dataclass(frozen=True)
class RoadmapStatusRow:
    province: Province
    roadmap: ProvincialRoadmap | None
    policies: int
    enacted_policies: int


def roadmap_statuses(scope: Scope) -> list[RoadmapStatusRow]:
    """Every province of the scope with its newest roadmap and its policy counts (the national table)."""
    provinces = list(scoping.provinces_in(scope).order_by("code"))
    newest: dict[str, ProvincialRoadmap] = {}
    for roadmap in roadmaps_in(scope).order_by("province", "-period_start"):
        newest.setdefault(roadmap.province_id, roadmap)
    counts: dict[str, list[int]] = {}
    for policy in ProvincialPolicy.objects.filter(province__in=[p.code for p in provinces]).only("province", "status"):
        row = counts.setdefault(policy.province_id, [0, 0])
        row[0] += 1
        row[1] += policy.status == ProvincialPolicy.Status.ENACTED
    return [RoadmapStatusRow(p, newest.get(p.code), *counts.get(p.code, [0, 0])) for p in provinces]


def roadmaps_waiting(scope: Scope) -> QuerySet[ProvincialRoadmap]:
    """Roadmaps waiting for the national review, oldest first."""
    return review_selectors.waiting(roadmaps_in(scope))


@dataclass(frozen=True)
class ProvinceDocumentsSummary:
    """What the province page shows of its documents: the newest roadmap's period and state, the policy
    counts."""

    period: str | None
    state: str | None
    policies: int
    enacted_policies: int

    @property
    def state_label(self) -> str:
        return str(ReviewState(self.state).label) if self.state else ""


def province_documents_summary(province: Province) -> ProvinceDocumentsSummary:
    """One query: the province with its newest roadmap's period and state and its policy counts."""
    newest = ProvincialRoadmap.objects.filter(province=OuterRef("pk")).order_by("-period_start")
    policies = ProvincialPolicy.objects.filter(province=OuterRef("pk")).order_by().values("province")
    row = (
        Province.objects.filter(pk=province.pk)
        .annotate(
            roadmap_start=Subquery(newest.values("period_start")[:1]),
            roadmap_end=Subquery(newest.values("period_end")[:1]),
            roadmap_state=Subquery(newest.values("review_state")[:1]),
            policy_count=Coalesce(Subquery(policies.annotate(n=Count("pk")).values("n")), 0),
            enacted_count=Coalesce(
                Subquery(policies.filter(status=ProvincialPolicy.Status.ENACTED).annotate(n=Count("pk")).values("n")),
                0,
            ),
        )
        .values("roadmap_start", "roadmap_end", "roadmap_state", "policy_count", "enacted_count")
        .get()
    )
    return ProvinceDocumentsSummary(
        period=f"{row['roadmap_start']}–{row['roadmap_end']}" if row["roadmap_start"] else None,
        state=row["roadmap_state"],
        policies=row["policy_count"],
        enacted_policies=row["enacted_count"],
    )
