"""Demo follow-up closings (``data/closings.toml``): Coaching Clinic 6's follow-ups closed with the tracker's
records as proof and accepted by the provincial Pokja (one returned first), and two of the later clinics'
closings, one returned to Kapuas and one waiting for the province.

Call ``seed_closings()`` after the clinics, the planning rows, the NAWASIS entries and the report
deliveries exist (the proofs are found among them). Each proof must concern the action's region
(``milestones.proofs``). It is safe to run again: an action that already has closings is skipped.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from milestones import proofs
from milestones.demo.loader import DemoDataError, build, provincial_reviewer, read, regency_officer, tables
from milestones.models import (
    ActionEvidence,
    ClosingProof,
    FollowUpAction,
    FollowUpClosing,
    ReviewState,
    ReviewStep,
)

Status = FollowUpAction.Status
Step = ReviewStep.Action


@dataclass(frozen=True)
class Closing:
    clinic: int
    date: datetime.date
    action: str  # the start of the action's description
    submitted: datetime.datetime
    proofs: tuple[dict, ...] = ()
    accepted: datetime.datetime | None = None
    returned: datetime.datetime | None = None
    reason: str = ""
    note: str = ""
    files: bool = False

    def __post_init__(self) -> None:
        if self.accepted and self.returned:
            raise ValueError("a closing is accepted or returned, not both")
        if bool(self.returned) != bool(self.reason):
            raise ValueError("a returned closing needs its reason, and only a returned one has one")
        if not self.proofs and not self.files:
            raise ValueError("a closing needs proofs or files")


def load_closings() -> list[Closing]:
    name = "closings.toml"
    rows = tables(read(name, "closings")["closings"], f"{name}: closings")
    return [
        build(Closing, row, f"{name}: closing {number} ({row.get('action', '?')[:40]})")
        for number, row in enumerate(rows, start=1)
    ]


def _find_action(item: Closing) -> FollowUpAction:
    found = list(
        FollowUpAction.objects.filter(
            province="62",
            recommendation__clinic__number=item.clinic,
            recommendation__clinic__date=item.date,
            description__startswith=item.action,
        ).select_related("regency")
    )
    if len(found) != 1:
        raise DemoDataError(f"closings.toml: {len(found)} actions of CC{item.clinic} start with {item.action!r}")
    return found[0]


def _proof(action: FollowUpAction, spec: dict[str, Any]) -> tuple[str, int]:
    lookups = dict(spec)
    key = lookups.pop("kind", None)
    kind = proofs.KINDS.get(key or "")
    if kind is None:
        raise DemoDataError(f"closings.toml: unknown proof kind {key!r} (one of {', '.join(proofs.KINDS)})")
    if "regency" in lookups:
        lookups[kind.regency_path] = lookups.pop("regency")
    rows = kind.model._default_manager.filter(kind.concern_q(action), **lookups).order_by(*kind.order_by)
    record = rows.first()
    if record is None:
        raise DemoDataError(f"closings.toml: no {key} matches {spec} for “{action.description[:40]}”")
    return key, record.pk


def _step(record, action: str, actor, at: datetime.datetime, comment: str = "") -> ReviewStep:
    return ReviewStep(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        action=action,
        actor=actor,
        at=at,
        comment=comment,
    )


def seed_closings() -> list[FollowUpClosing]:
    """Create the demo closings; returns those created this time."""
    items = load_closings()
    reviewer = provincial_reviewer()
    created: list[FollowUpClosing] = []
    with transaction.atomic():
        by_action: dict[int, list[Closing]] = {}
        actions: dict[int, FollowUpAction] = {}
        for item in items:
            action = _find_action(item)
            actions[action.pk] = action
            by_action.setdefault(action.pk, []).append(item)
        done_before = set(FollowUpClosing.objects.filter(action__in=list(actions)).values_list("action", flat=True))
        for pk, attempts in by_action.items():
            if pk in done_before:
                continue
            created.extend(_seed_action(actions[pk], attempts, reviewer))
    return created


def _seed_action(action: FollowUpAction, attempts: list[Closing], reviewer) -> list[FollowUpClosing]:
    regency = action.regency
    closer = action.closed_by or (regency_officer(regency.code, reviewer) if regency else reviewer)
    group = action.assigned_working_group
    if group is not None and group.level == "provincial":
        closer = reviewer
    made = []
    steps = []
    for item in attempts:
        state = ReviewState.SUBMITTED
        if item.accepted or item.returned:
            state = ReviewState.VERIFIED if item.accepted else ReviewState.RETURNED
        decided = item.accepted or item.returned
        closing = FollowUpClosing.objects.create(
            action=action,
            note=(item.note or action.closing_note or action.description).strip(),
            created_by=closer,
            created_at=item.submitted,
            review_state=state,
            submitted_at=item.submitted,
            submitted_by=closer,
            decided_at=decided,
            decided_by=reviewer if decided else None,
            return_reason=item.reason.strip(),
        )
        refs = sorted({_proof(action, spec) for spec in item.proofs})
        ClosingProof.objects.bulk_create(ClosingProof(closing=closing, kind=k, object_id=pk) for k, pk in refs)
        if item.files:
            ActionEvidence.objects.filter(action=action, closing=None).update(closing=closing)
        steps.append(_step(closing, Step.SUBMITTED, closer, item.submitted))
        if item.accepted:
            steps.append(_step(closing, Step.VERIFIED, reviewer, item.accepted))
        elif item.returned:
            steps.append(_step(closing, Step.RETURNED, reviewer, item.returned, item.reason.strip()))
        made.append(closing)
    ReviewStep.objects.bulk_create(steps)
    last = attempts[-1]
    if last.accepted:
        fields: dict[str, Any] = {"status": Status.DONE, "closed_at": last.accepted, "closed_by": closer}
    elif last.returned:
        fields = {"status": Status.IN_PROGRESS, "closed_at": None, "closed_by": None}
    else:
        fields = {"status": Status.CLOSING, "closed_at": None, "closed_by": closer}
    fields["closing_note"] = made[-1].note
    FollowUpAction.objects.filter(pk=action.pk).update(**fields)
    return made
