"""Reads for a follow-up action's closings: the proofs the closing form offers, the closings with their
proofs resolved, the action's one history, and the closings waiting for the province or returned.

Query counts stay fixed per page: one query a proof kind for the form, one a kind present for the
closings' proofs, one for the history.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from milestones import proofs
from milestones.models import ActionEvidence, FollowUpAction, FollowUpClosing, ReviewState, ReviewStep
from regencies import scoping
from ssk_tracker.lib.users import AnyUser

Step = ReviewStep.Action


def proof_value(kind: str, pk: int) -> str:
    """A proof as the form's choice names it: "kind:pk"."""
    return f"{kind}:{pk}"


def parse_proof_value(value: str) -> tuple[str, int] | None:
    kind, _sep, pk = (value or "").partition(":")
    return (kind, int(pk)) if kind and pk.isdigit() else None


@dataclass(frozen=True)
class ProofGroup:
    kind: proofs.ProofKind
    choices: list[tuple[str, str]]  # (value, label)


def proof_options(user: AnyUser, action: FollowUpAction) -> list[ProofGroup]:
    """Per kind, the most recent records the user may link as proof of ``action`` (one query a kind)."""
    groups = []
    for kind in proofs.KINDS.values():
        rows = list(proofs.candidates(user, action, kind)[: proofs.OFFERED])
        if rows:
            groups.append(ProofGroup(kind, [(proof_value(kind.key, row.pk), kind.describe(row)) for row in rows]))
    return groups


@dataclass(frozen=True)
class ShownProof:
    kind_label: StrOrPromise
    label: str  # "" when the record is gone or outside the viewer's scope
    url: str


@dataclass
class ShownClosing:
    closing: FollowUpClosing
    proofs: list[ShownProof] = field(default_factory=list)
    files: list[ActionEvidence] = field(default_factory=list)

    @property
    def state_label(self) -> StrOrPromise:
        state = self.closing.review_state
        if state == ReviewState.SUBMITTED:
            return _("Waiting for acceptance")
        if state == ReviewState.VERIFIED:
            return _("Accepted")
        if state == ReviewState.RETURNED:
            return _("Returned")
        return _("Reopened")  # an accepted closing whose action was reopened goes back to draft

    @property
    def badge(self) -> str:
        return {
            ReviewState.SUBMITTED: "text-bg-warning",
            ReviewState.VERIFIED: "text-bg-success",
            ReviewState.RETURNED: "text-bg-danger",
        }.get(ReviewState(self.closing.review_state), "text-bg-secondary")


def closings_of(user: AnyUser, action: FollowUpAction) -> list[ShownClosing]:
    """The action's closings, newest first, each with its proofs (as the viewer may see them) and files."""
    closings = list(
        FollowUpClosing.objects.filter(action=action)
        .select_related("created_by", "decided_by")
        .prefetch_related(
            "proofs", Prefetch("files", queryset=ActionEvidence.objects.select_related("blob").order_by("pk"))
        )
        .order_by("-created_at", "-pk")
    )
    wanted: dict[str, set[int]] = defaultdict(set)
    for closing in closings:
        for proof in closing.proofs.all():
            wanted[proof.kind].add(proof.object_id)
    records: dict[str, dict[int, object]] = {}
    for key, pks in wanted.items():
        kind = proofs.KINDS.get(key)
        if kind is None:
            continue
        queryset = kind.model._default_manager.filter(pk__in=sorted(pks))
        if kind.related:
            queryset = queryset.select_related(*kind.related)
        records[key] = {row.pk: row for row in kind.visible_to(user, queryset)}
    shown = []
    for closing in closings:
        item = ShownClosing(closing, files=list(closing.files.all()))
        for proof in closing.proofs.all():
            kind = proofs.KINDS.get(proof.kind)
            row = records.get(proof.kind, {}).get(proof.object_id)
            if kind is None:
                item.proofs.append(ShownProof(proof.kind, "", ""))
            elif row is None:
                item.proofs.append(ShownProof(kind.label, "", ""))
            else:
                item.proofs.append(ShownProof(kind.label, kind.describe(row), kind.url(row)))
        shown.append(item)
    return shown


# What each step is called in a follow-up's history: its own steps, and its closings' review steps.
ACTION_STEPS: dict[str, StrOrPromise] = {
    Step.STARTED: pgettext_lazy("follow-up history", "Started"),
    Step.DROPPED: pgettext_lazy("follow-up history", "Dropped"),
    Step.REOPENED: pgettext_lazy("follow-up history", "Reopened"),
}
CLOSING_STEPS: dict[str, StrOrPromise] = {
    Step.SUBMITTED: pgettext_lazy("follow-up history", "Closing submitted"),
    Step.VERIFIED: pgettext_lazy("follow-up history", "Closing accepted"),
    Step.RETURNED: pgettext_lazy("follow-up history", "Closing returned"),
    Step.REOPENED: pgettext_lazy("follow-up history", "Reopened"),
}


@dataclass(frozen=True)
class HistoryRow:
    step: ReviewStep
    label: StrOrPromise
    is_reason: bool  # the comment is a reason (a return, a reopening, a dropping)


def history(action: FollowUpAction) -> list[HistoryRow]:
    """Every step of the action, oldest first: started, dropped, reopened, and its closings' submissions,
    acceptances and returns (one query; the content types are cached)."""
    action_type = ContentType.objects.get_for_model(FollowUpAction)
    closing_type = ContentType.objects.get_for_model(FollowUpClosing)
    steps = ReviewStep.objects.filter(
        Q(content_type=action_type, object_id=action.pk)
        | Q(content_type=closing_type, object_id__in=FollowUpClosing.objects.filter(action=action).values("pk"))
    ).select_related("actor")
    rows = []
    for step in steps:
        names = ACTION_STEPS if step.content_type_id == action_type.pk else CLOSING_STEPS
        label = names.get(step.action, step.get_action_display())
        rows.append(HistoryRow(step, label, step.action in (Step.RETURNED, Step.REOPENED, Step.DROPPED)))
    return rows


def may_decide(user: AnyUser, action: FollowUpAction) -> bool:
    """Accept or return a closing: the organising province's Pokja staff."""
    return scoping.can_manage_province(user, action.province_id)


def waiting_closings(actions: QuerySet[FollowUpAction]) -> QuerySet[FollowUpClosing]:
    """The closings of ``actions`` waiting for the province's acceptance, the longest waiting first."""
    return FollowUpClosing.objects.filter(
        action__in=actions.filter(status=FollowUpAction.Status.CLOSING), review_state=ReviewState.SUBMITTED
    ).order_by("submitted_at", "pk")


def returned_closings(actions: QuerySet[FollowUpAction]) -> QuerySet[FollowUpClosing]:
    """Of ``actions`` still to be closed again, the latest closing when the province returned it."""
    later = FollowUpClosing.objects.filter(action=OuterRef("action"), created_at__gt=OuterRef("created_at"))
    return (
        FollowUpClosing.objects.filter(
            action__in=actions.filter(status__in=FollowUpAction.ACTIVE_STATUSES), review_state=ReviewState.RETURNED
        )
        .filter(~Exists(later))
        .order_by("decided_at", "pk")
    )
