"""Writes for milestones: cohorts, updates and their review. Each is one transaction with its history.

Views check who may act (regencies.scoping); these functions check that the act still makes sense
and claim state changes race-safely: ``filter(pk=…, status=…).update(…)`` and proceed only if one
row changed, so two reviewers acting at once get one winner and one clear message.
"""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones import evidence
from milestones.models import (
    Cohort,
    Evidence,
    EvidenceRequirement,
    EvidenceVerdict,
    HistoryEntry,
    Milestone,
    MilestoneDefinition,
    MilestoneUpdate,
)
from milestones.selectors import milestones as selectors
from milestones.services import ActionRefused, CheckedUpload, outbox, upload_name
from regencies.models import Regency
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

Status = MilestoneUpdate.Status
MStatus = Milestone.Status
Verdict = EvidenceVerdict.Verdict

# Our planning defaults, editable per milestone afterwards: M1 by March, M2 by June, M3 by November of
# the first year; M4 by November of the second.
DEFAULT_PLANNED: dict[int, tuple[int, int, int]] = {1: (1, 3, 31), 2: (1, 6, 30), 3: (1, 11, 30), 4: (2, 11, 30)}


def create_cohort(
    *,
    regency: Regency,
    year_m1_m3: int,
    year_m4: int | None = None,
    decree_number: str = "",
    decree_date: datetime.date | None = None,
) -> Cohort:
    """Put a regency in the programme and open its four milestone records."""
    with transaction.atomic():
        cohort = Cohort.objects.create(
            regency=regency,
            year_m1_m3=year_m1_m3,
            year_m4=year_m4 or year_m1_m3 + 1,
            decree_number=decree_number,
            decree_date=decree_date,
        )
        open_milestones(cohort=cohort)
    return cohort


def open_milestones(*, cohort: Cohort) -> None:
    """Create the cohort's missing milestone records (one per definition) with default planned dates."""
    existing = set(cohort.milestones.values_list("definition_id", flat=True))
    milestones = []
    for definition in MilestoneDefinition.objects.order_by("number").exclude(pk__in=existing):
        year_offset, month, day = DEFAULT_PLANNED.get(definition.number, (definition.year_of_cohort, 12, 31))
        year = cohort.year_m1_m3 if year_offset == 1 else cohort.year_m4
        milestones.append(
            Milestone(
                cohort=cohort,
                definition=definition,
                regency_id=cohort.regency_id,
                planned_date=datetime.date(year, month, day),
            )
        )
    audit.bulk_created(Milestone.objects.bulk_create(milestones))


def _record(
    milestone: Milestone,
    actor: User,
    action: str,
    *,
    update: MilestoneUpdate | None = None,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    planned_before: datetime.date | None = None,
) -> None:
    """Record a transition with the milestone as it stands after it: call it once the milestone's row holds
    its new state. Its status, progress and plan are copied from the row (not from ``milestone``, which a
    caller may hold from before a concurrent change), so that any past date's state can be read back.
    ``planned_before`` is the plan before a plan change; otherwise the plan did not change."""
    status, progress, planned = Milestone.objects.values_list("status", "progress", "planned_date").get(pk=milestone.pk)
    HistoryEntry.objects.create(
        milestone=milestone,
        update=update,
        actor=actor,
        at=timezone.now(),
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        status_after=status,
        progress_after=progress,
        planned_before=planned_before if action == HistoryEntry.Action.PLANNED else planned,
        planned_after=planned,
    )


def _set_milestone_status(milestone: Milestone, status: str, **fields: object) -> None:
    audit.update(Milestone.objects.filter(pk=milestone.pk), status=status, updated_at=timezone.now(), **fields)
    milestone.status = status
    for key, value in fields.items():
        setattr(milestone, key, value)


def save_draft(
    *,
    milestone: Milestone,
    author: User,
    progress: int,
    narrative: str,
    obstacles: str = "",
    next_steps: str = "",
    requirements: Iterable[EvidenceRequirement] = (),
    files: Iterable[CheckedUpload] = (),
    update: MilestoneUpdate | None = None,
) -> MilestoneUpdate:
    """Create the milestone's open update, or edit it while it is a draft or returned.

    ``files`` must already have passed ``evidence.identify`` (the form does it); they are stored
    once per content and attached.
    """
    if milestone.is_locked:
        raise ActionRefused(_("This milestone is verified and locked. Ask the province to reopen it first."))
    fields = {"progress": progress, "narrative": narrative, "obstacles": obstacles, "next_steps": next_steps}
    with evidence.files_kept_on_commit():
        if update is None:
            try:
                with transaction.atomic():
                    update = MilestoneUpdate.objects.create(milestone=milestone, author=author, **fields)
            except IntegrityError:
                raise ActionRefused(
                    _("This milestone already has an update in progress; open it and continue there.")
                ) from None
            if milestone.status == MStatus.NOT_STARTED:
                _set_milestone_status(milestone, MStatus.IN_PROGRESS)
            _record(milestone, author, HistoryEntry.Action.CREATED, update=update, to_status=Status.DRAFT)
        else:
            claimed = audit.update(
                MilestoneUpdate.objects.filter(pk=update.pk, status__in=[Status.DRAFT, Status.RETURNED]),
                updated_at=timezone.now(),
                **fields,
                version=F("version") + 1,
            )
            if not claimed:
                raise ActionRefused(_("This update was submitted or decided meanwhile and can no longer be edited."))
            for key, value in fields.items():
                setattr(update, key, value)
            _record(
                milestone,
                author,
                HistoryEntry.Action.EDITED,
                update=update,
                from_status=update.status,
                to_status=update.status,
            )
        requirements = list(requirements)
        update.requirements_met.set(requirements)
        # A returned update keeps its verdicts for the revision; an acceptance of an item the officer no
        # longer claims would vouch for nothing. Rejections stay, so the note remains beside the item.
        update.verdicts.filter(verdict=Verdict.ACCEPTED).exclude(requirement__in=requirements).delete()
        for uploaded, kind in files:
            blob = evidence.store(uploaded, kind)
            Evidence.objects.create(update=update, blob=blob, original_name=upload_name(uploaded), uploaded_by=author)
    return update


def remove_evidence(*, item: Evidence, actor: User) -> None:
    with transaction.atomic():
        update = MilestoneUpdate.objects.select_for_update().get(pk=item.update_id)
        if not update.is_editable:
            raise ActionRefused(_("Evidence can only be removed while the update is a draft or returned."))
        item.delete()


def submit_update(*, update: MilestoneUpdate, actor: User, notify: bool = True) -> MilestoneUpdate:
    with transaction.atomic():
        previous = update.status
        now = timezone.now()
        claimed = audit.update(
            MilestoneUpdate.objects.filter(pk=update.pk, status__in=[Status.DRAFT, Status.RETURNED]),
            status=Status.SUBMITTED,
            submitted_at=now,
            updated_at=now,
        )
        if not claimed:
            raise ActionRefused(_("This update has already been submitted or decided."))
        update.status, update.submitted_at = Status.SUBMITTED, now
        milestone = update.milestone
        _set_milestone_status(milestone, MStatus.SUBMITTED)
        _record(
            milestone,
            actor,
            HistoryEntry.Action.SUBMITTED,
            update=update,
            from_status=previous,
            to_status=Status.SUBMITTED,
        )
        if notify:  # seed data replaying old history passes notify=False
            outbox.enqueue("update_submitted", update_id=update.pk)
    return update


def approve_update(
    *, update: MilestoneUpdate, reviewer: User, comment: str = "", notify: bool = True
) -> MilestoneUpdate:
    """Approve: the milestone takes the update's progress, and is verified when that reaches 100 %."""
    with transaction.atomic():
        now = timezone.now()
        claimed = audit.update(
            MilestoneUpdate.objects.filter(pk=update.pk, status=Status.SUBMITTED),
            status=Status.APPROVED,
            decided_at=now,
            decided_by=reviewer,
            updated_at=now,
        )
        if not claimed:
            raise ActionRefused(
                _("Another reviewer has already decided this update; the page now shows their decision.")
            )
        milestone = update.milestone
        verified = update.progress == 100
        if verified:
            # Checked after the claim: a verdict changed meanwhile waits for our row lock and then finds
            # the update decided, so what we read here is what the approval rests on.
            gaps = selectors.verification_gaps(update)
            if gaps:
                raise ActionRefused(" ".join([_("This update cannot verify the milestone yet."), *gaps.reasons()]))
        update.status, update.decided_at, update.decided_by = Status.APPROVED, now, reviewer
        _set_milestone_status(
            milestone,
            MStatus.VERIFIED if verified else MStatus.IN_PROGRESS,
            progress=update.progress,
            actual_date=timezone.localdate() if verified else None,
        )
        _record(
            milestone,
            reviewer,
            HistoryEntry.Action.APPROVED,
            update=update,
            from_status=Status.SUBMITTED,
            to_status=Status.APPROVED,
            comment=comment,
        )
        if notify:
            outbox.enqueue("update_decided", update_id=update.pk)
    return update


def return_update(*, update: MilestoneUpdate, reviewer: User, reason: str, notify: bool = True) -> MilestoneUpdate:
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why the update is returned: the officer needs the reason to revise it."))
    with transaction.atomic():
        now = timezone.now()
        claimed = audit.update(
            MilestoneUpdate.objects.filter(pk=update.pk, status=Status.SUBMITTED),
            status=Status.RETURNED,
            decided_at=now,
            decided_by=reviewer,
            return_reason=reason,
            updated_at=now,
        )
        if not claimed:
            raise ActionRefused(
                _("Another reviewer has already decided this update; the page now shows their decision.")
            )
        update.status, update.return_reason = Status.RETURNED, reason
        update.decided_at, update.decided_by = now, reviewer
        milestone = update.milestone
        _set_milestone_status(milestone, MStatus.NEEDS_REVISION)
        _record(
            milestone,
            reviewer,
            HistoryEntry.Action.RETURNED,
            update=update,
            from_status=Status.SUBMITTED,
            to_status=Status.RETURNED,
            comment=reason,
        )
        if notify:
            outbox.enqueue("update_decided", update_id=update.pk)
    return update


def reopen_milestone(*, milestone: Milestone, actor: User, reason: str, progress: int) -> Milestone:
    """Unlock a verified milestone, on the record, at the progress the reviewer states, so the regency reports again.

    The approved update and its verdicts stay as they were: they are the history of the verification
    that no longer holds. Refused while the next milestone is verified and requires this one.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why the milestone is reopened."))
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 99:
        raise ActionRefused(_("State the progress the reopened milestone stands at, from 0 to 99 %."))
    with transaction.atomic():
        following = (
            Milestone.objects.filter(
                cohort_id=milestone.cohort_id,
                definition__number=milestone.definition.number + 1,
                definition__requires_previous=True,
                status=MStatus.VERIFIED,
            )
            .select_related("definition")
            .first()
        )
        if following:
            raise ActionRefused(
                _("%(next)s is verified and requires this milestone: reopen %(next)s first.")
                % {"next": following.definition.code}
            )
        claimed = audit.update(
            Milestone.objects.filter(pk=milestone.pk, status=MStatus.VERIFIED),
            status=MStatus.IN_PROGRESS,
            progress=progress,
            actual_date=None,
            updated_at=timezone.now(),
        )
        if not claimed:
            raise ActionRefused(_("This milestone is not verified (any more), so there is nothing to reopen."))
        milestone.status, milestone.progress, milestone.actual_date = MStatus.IN_PROGRESS, progress, None
        _record(
            milestone,
            actor,
            HistoryEntry.Action.REOPENED,
            from_status=MStatus.VERIFIED,
            to_status=MStatus.IN_PROGRESS,
            comment=reason,
        )
    return milestone


def judge_evidence(
    *, update: MilestoneUpdate, requirement: EvidenceRequirement, reviewer: User, verdict: str, note: str = ""
) -> EvidenceVerdict:
    """Accept a required evidence item of a submitted update, or reject it with a note the officer sees.

    A judgment may change while the update is submitted; once it is approved or returned it is frozen.
    """
    note = (note or "").strip()
    if verdict not in Verdict.values:
        raise ActionRefused(_("Choose whether the evidence is accepted or rejected."))
    if requirement.definition_id != update.milestone.definition_id:
        raise ActionRefused(_("This evidence item is not required by this milestone."))
    if verdict == Verdict.REJECTED and not note:
        raise ActionRefused(_("Say why the evidence is rejected: the officer needs the note to provide it."))
    with transaction.atomic():
        now = timezone.now()
        # Claims the update's row: an approval or return running at the same time waits, or has won.
        claimed = audit.update(MilestoneUpdate.objects.filter(pk=update.pk, status=Status.SUBMITTED), updated_at=now)
        if not claimed:
            raise ActionRefused(
                _("This update is no longer waiting for review, so its evidence can no longer be judged.")
            )
        if verdict == Verdict.ACCEPTED and not update.requirements_met.filter(pk=requirement.pk).exists():
            raise ActionRefused(_("The officer has not claimed this item; reject it with a note or return the update."))
        judged, _created = EvidenceVerdict.objects.update_or_create(
            update=update,
            requirement=requirement,
            defaults={
                "verdict": verdict,
                "note": note if verdict == Verdict.REJECTED else "",
                "judged_by": reviewer,
                "judged_at": now,
            },
        )
    return judged


def change_plan(*, milestone: Milestone, actor: User, planned_date: datetime.date, comment: str = "") -> Milestone:
    with transaction.atomic():
        before = milestone.planned_date
        audit.update(Milestone.objects.filter(pk=milestone.pk), planned_date=planned_date, updated_at=timezone.now())
        milestone.planned_date = planned_date
        _record(
            milestone,
            actor,
            HistoryEntry.Action.PLANNED,
            from_status=str(before or ""),
            to_status=str(planned_date),
            comment=comment,
            planned_before=before,
        )
    return milestone
