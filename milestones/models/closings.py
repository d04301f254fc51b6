"""A follow-up action's closing: what the owner submits as done, with the records that prove it, and the
organising province's acceptance or return (the shared review workflow, ``milestones.models.review``).

One ``FollowUpClosing`` per attempt: a returned closing stays on record with its reason and the owner
submits a new one. The action's own status mirrors the latest attempt (``FollowUpAction.Status.CLOSING``
while it waits, ``DONE`` once accepted), so that every list, figure and reminder keeps reading one column.
Proofs are records of the tracker named by their kind (``milestones.proofs``) and primary key.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from milestones.models.clinics import FollowUpAction
from milestones.models.review import Reviewed


class FollowUpClosing(Reviewed):
    action = models.ForeignKey(
        FollowUpAction, on_delete=models.CASCADE, related_name="closings", verbose_name=_("follow-up action")
    )
    note = models.TextField(_("closing note"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    created_at = models.DateTimeField(_("closed at"))

    class Meta:
        ordering = ["action", "created_at", "pk"]
        verbose_name = _("follow-up closing")
        verbose_name_plural = _("follow-up closings")
        indexes = [models.Index(fields=["review_state", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.action} · {self.created_at:%Y-%m-%d}"


class ClosingProof(models.Model):
    """One record of the tracker linked to a closing as its proof (``kind``: a key of ``milestones.proofs``)."""

    closing = models.ForeignKey(
        FollowUpClosing, on_delete=models.CASCADE, related_name="proofs", verbose_name=_("follow-up closing")
    )
    kind = models.CharField(_("kind of proof"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("record"))

    class Meta:
        ordering = ["closing", "kind", "object_id"]
        verbose_name = _("closing proof")
        verbose_name_plural = _("closing proofs")
        constraints = [
            models.UniqueConstraint(fields=["closing", "kind", "object_id"], name="closing_proof_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"
