"""The kinds of tracker record that can prove a follow-up action done (``ClosingProof.kind``): one entry each.

A kind says which model it is, its label, the path from it to the regency it belongs to, what to read
with it, how it reads in a list and where it links. ``candidates(user, action, kind)`` is the one rule of
which records may be linked: those the user sees (``regencies.scoping``) that concern the action's regency
(or, for the province's own action, a regency of its province). Adding a kind is one ``register`` call; an
app above ``milestones`` (``reports``) registers its own kinds in its ``AppConfig.ready``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from milestones.models import FollowUpAction
from regencies import scoping
from ssk_tracker.lib.formatting import completeness, rupiah
from ssk_tracker.lib.users import AnyUser

# How many records of a kind the closing form offers (the most recent first).
OFFERED = 40


@dataclass(frozen=True)
class ProofKind:
    key: str
    label: StrOrPromise
    model_label: str  # "app_label.Model"
    regency_path: str  # the path from the record to its Regency
    describe: Callable[[Any], str]
    url: Callable[[Any], str]
    related: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ("-pk",)
    # Extra rule of which records may prove (e.g. no drafts); Q on the model.
    offered: Q = field(default_factory=Q)
    # Who sees the records: by default the scope's regencies along ``regency_path``.
    visible: Callable[[AnyUser, QuerySet[Any]], QuerySet[Any]] | None = None
    # Which records concern the action: by default its regency's (the province's own: its province's).
    concerns: Callable[[FollowUpAction], Q] | None = None

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def concern_q(self, action: FollowUpAction) -> Q:
        if self.concerns is not None:
            return self.concerns(action)
        if action.regency_id:
            return Q(**{self.regency_path: action.regency_id})
        return Q(**{f"{self.regency_path}__province": action.province_id})

    def visible_to(self, user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.visible is not None:
            return self.visible(user, queryset)
        return scoping.filter_by_scope(user, queryset, self.regency_path)


KINDS: dict[str, ProofKind] = {}


def register(kind: ProofKind) -> None:
    KINDS[kind.key] = kind


def kind_choices() -> list[tuple[str, StrOrPromise]]:
    return [(kind.key, kind.label) for kind in KINDS.values()]


def candidates(user: AnyUser, action: FollowUpAction, kind: ProofKind) -> QuerySet[Any]:
    """The records of ``kind`` the user may link as proof of ``action``."""
    queryset = kind.model._default_manager.filter(kind.concern_q(action)).filter(kind.offered)
    queryset = kind.visible_to(user, queryset).order_by(*kind.order_by)
    return queryset.select_related(*kind.related) if kind.related else queryset


def _day(value) -> str:
    return date_format(localtime(value) if hasattr(value, "tzinfo") else value, "SHORT_DATE_FORMAT")


def _quality_review(review) -> str:
    document = review.document
    outcome = review.get_outcome_display()
    return f"SSK {document.period_start}–{document.period_end} · {outcome} · {_day(review.reviewed_at)}"


def _integration(row) -> str:
    included = _("included") if row.included else _("not included")
    return f"{row.activity.name} · {row.get_document_display()} {row.year} · {included}"


def _budget_line(line) -> str:
    return f"{line.activity.name} · {line.year} · {line.get_source_display()} · {rupiah(line.allocated)}"


def _nawasis(entry) -> str:
    return f"NAWASIS · {entry.get_module_display()} · {completeness(entry.completeness)} · {_day(entry.submitted_on)}"


def _update(update) -> str:
    definition = update.milestone.definition
    return f"{definition.code} · {update.get_status_display()} · {_day(update.created_at)}"


def _evidence(item) -> str:
    return f"{item.original_name} ({item.update.milestone.definition.code})"


register(
    ProofKind(
        key="qa_review",
        label=_("QA review"),
        model_label="milestones.QualityReview",
        regency_path="document__regency",
        related=("document",),
        order_by=("-reviewed_at", "-pk"),
        describe=_quality_review,
        url=lambda review: reverse("document", args=[review.document_id]),
    )
)
register(
    ProofKind(
        key="planning",
        label=_("Planning-document integration"),
        model_label="milestones.PlanningIntegration",
        regency_path="activity__regency",
        related=("activity",),
        order_by=("-year", "activity__name", "document", "pk"),
        describe=_integration,
        url=lambda row: reverse("activities", args=[row.activity.regency_id]),
    )
)
register(
    ProofKind(
        key="budget_line",
        label=_("Budget line"),
        model_label="milestones.BudgetLine",
        regency_path="activity__regency",
        related=("activity",),
        order_by=("-year", "activity__name", "source", "pk"),
        describe=_budget_line,
        url=lambda line: reverse("activities", args=[line.activity.regency_id]),
    )
)
register(
    ProofKind(
        key="nawasis",
        label=_("NAWASIS entry"),
        model_label="milestones.NawasisSubmission",
        regency_path="regency",
        order_by=("-submitted_on", "-pk"),
        describe=_nawasis,
        url=lambda entry: reverse("nawasis_regency", args=[entry.regency_id]),
    )
)
register(
    ProofKind(
        key="update",
        label=_("Milestone update"),
        model_label="milestones.MilestoneUpdate",
        regency_path="milestone__regency",
        related=("milestone__definition",),
        order_by=("-created_at", "-pk"),
        offered=~Q(status="draft"),
        describe=_update,
        url=lambda update: f"{reverse('milestone', args=[update.milestone_id])}#update-{update.pk}",
    )
)
register(
    ProofKind(
        key="evidence",
        label=_("Evidence file"),
        model_label="milestones.Evidence",
        regency_path="update__milestone__regency",
        related=("update__milestone__definition",),
        order_by=("-uploaded_at", "-pk"),
        offered=~Q(update__status="draft"),
        describe=_evidence,
        url=lambda item: reverse("evidence_download", args=[item.pk]),
    )
)
