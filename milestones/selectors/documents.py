"""Reads for SSK documents, policy packages and yearly monitoring; all start from the user's scope.

The regency-page functions fetch everything a section shows in a fixed number of queries, however
many documents, reviews, items and records there are.
"""

import datetime
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django_stubs_ext import WithAnnotations

from milestones.models import (
    MonitoringRecord,
    PolicyItem,
    PolicyPackage,
    QualityReview,
    QualityReviewItem,
    SSKDocument,
)
from regencies import scoping
from regencies.models import Regency
from ssk_tracker.lib.users import AnyUser


class ReviewList(TypedDict):
    review_list: list[QualityReview]  # newest first


type ReviewedDocument = WithAnnotations[SSKDocument, ReviewList]  # `type`: WithAnnotations[...] fails at run time


def documents_in_scope(user: AnyUser) -> QuerySet[SSKDocument]:
    return scoping.filter_by_scope(user, SSKDocument.objects.all(), "regency")


def packages_in_scope(user: AnyUser) -> QuerySet[PolicyPackage]:
    return scoping.filter_by_scope(user, PolicyPackage.objects.all(), "regency")


def monitoring_in_scope(user: AnyUser) -> QuerySet[MonitoringRecord]:
    return scoping.filter_by_scope(user, MonitoringRecord.objects.all(), "cohort__regency")


def reviews_newest_first(with_items: bool = False) -> QuerySet[QualityReview]:
    """Quality-assurance reviews (of SSK documents or roadmaps) newest first, with their reviewer."""
    reviews = QualityReview.objects.select_related("reviewer").order_by("-reviewed_at", "-pk")
    if with_items:
        reviews = reviews.prefetch_related(Prefetch("items", queryset=QualityReviewItem.objects.order_by("pk")))
    return reviews


def document_for_user(user: AnyUser, pk: int) -> ReviewedDocument:
    """One document with its file and every review (newest first, as ``review_list``) and their items."""
    queryset = (
        documents_in_scope(user)
        .select_related("regency__province", "file")
        .prefetch_related(Prefetch("reviews", queryset=reviews_newest_first(with_items=True), to_attr="review_list"))
    )
    return scoping.get_or_404(queryset, pk=pk)


def document_file_for_user(user: AnyUser, pk: int) -> SSKDocument:
    return scoping.get_or_404(documents_in_scope(user).select_related("file"), pk=pk)


class LatestReview(TypedDict):
    latest_outcome: str | None
    latest_reviewed_at: datetime.datetime | None


type DocumentRow = WithAnnotations[SSKDocument, LatestReview]  # `type`: WithAnnotations[...] fails at run time


def regency_documents(regency: Regency) -> QuerySet[DocumentRow]:
    """The regency's documents, newest period first, each with its latest review's outcome and date (one
    query: the regency page shows only the latest review; the document's page has them all)."""
    latest = QualityReview.objects.filter(document=OuterRef("pk")).order_by("-reviewed_at", "-pk")
    return (
        SSKDocument.objects.filter(regency=regency)
        .annotate(
            latest_outcome=Subquery(latest.values("outcome")[:1]),
            latest_reviewed_at=Subquery(latest.values("reviewed_at")[:1]),
        )
        .order_by("-period_start")
    )


def _items() -> QuerySet[PolicyItem]:
    return PolicyItem.objects.order_by("kind", "pk")


def regency_packages(regency: Regency) -> QuerySet[PolicyPackage]:
    return (
        PolicyPackage.objects.filter(regency=regency)
        .select_related("cohort")
        .prefetch_related(Prefetch("items", queryset=_items()))
        .order_by("-pk")
    )


def package_for_user(user: AnyUser, pk: int) -> PolicyPackage:
    queryset = (
        packages_in_scope(user)
        .select_related("regency__province", "cohort")
        .prefetch_related(Prefetch("items", queryset=_items()))
    )
    return scoping.get_or_404(queryset, pk=pk)


def regency_monitoring(regency: Regency) -> QuerySet[MonitoringRecord]:
    return (
        MonitoringRecord.objects.filter(cohort__regency=regency)
        .select_related("cohort", "recorded_by")
        .order_by("-cohort__year_m1_m3", "year_index")
    )


def monitoring_for_user(user: AnyUser, pk: int) -> MonitoringRecord:
    queryset = monitoring_in_scope(user).select_related("cohort__regency__province")
    return scoping.get_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class RegencySection:
    """The regency page's documents, policy packages and monitoring records, fetched before rendering."""

    documents: list[DocumentRow]
    packages: list[PolicyPackage]
    monitoring: list[MonitoringRecord]


def regency_section(regency: Regency) -> RegencySection:
    """Everything the section lists (four queries, however many rows); who may act is the view's to say."""
    return RegencySection(
        documents=list(regency_documents(regency)),
        packages=list(regency_packages(regency)),
        monitoring=list(regency_monitoring(regency)),
    )
