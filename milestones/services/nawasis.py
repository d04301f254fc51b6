"""Writes for NAWASIS submissions: what a regency entered in NAWASIS, and the province's check of it.

Views check who may act (regencies.scoping); these functions check that the act still makes sense.
Verification is claimed race-safely with ``filter(pk=…, verified_at__isnull=True).update(…)``: when two
provincial staff verify at once, one wins and the other is told it was already verified.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones.models import NawasisSubmission
from milestones.services import ActionRefused
from regencies.models import Regency
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

__all__ = ["ActionRefused", "record_submission", "verify_submission"]


def record_submission(
    *,
    regency: Regency,
    actor: User,
    module: str,
    submitted_on: datetime.date,
    completeness: Decimal,
    notes: str = "",
) -> NawasisSubmission:
    """Record that ``module`` was entered in NAWASIS on ``submitted_on`` with the completeness it reported."""
    if module not in NawasisSubmission.Module.values:
        raise ActionRefused(_("Unknown NAWASIS module."))
    if not Decimal(0) <= Decimal(completeness) <= Decimal(100):
        raise ActionRefused(_("The completeness is a percentage between 0 and 100."))
    if submitted_on > timezone.localdate():
        raise ActionRefused(_("The date of entry cannot be in the future."))
    with transaction.atomic():
        return NawasisSubmission.objects.create(
            regency=regency,
            module=module,
            submitted_on=submitted_on,
            completeness=completeness,
            notes=(notes or "").strip(),
            recorded_by=actor,
        )


def verify_submission(*, submission: NawasisSubmission, actor: User) -> NawasisSubmission:
    """The provincial Pokja confirms what NAWASIS shows; a submission is verified once, by one person."""
    now = timezone.now()
    with transaction.atomic():
        claimed = audit.update(
            NawasisSubmission.objects.filter(pk=submission.pk, verified_at__isnull=True),
            verified_at=now,
            verified_by=actor,
            version=F("version") + 1,
        )
        if not claimed:
            raise ActionRefused(_("This NAWASIS submission has already been verified."))
    submission.verified_at, submission.verified_by = now, actor
    return submission
