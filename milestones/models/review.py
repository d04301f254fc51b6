"""The one review workflow for records a regency submits and a reviewer verifies or returns with a reason.

Milestone updates keep their own (older, richer) workflow. Everything newer that is "submitted, then
verified or returned" — indicator actuals, DAK readiness documents, a follow-up's closing — inherits
``Reviewed`` and goes through ``milestones.services.review``; each step is a ``ReviewStep`` row, so
every such record has the same history on its page.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReviewState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("review state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("review state", "Waiting for review")
    VERIFIED = "verified", pgettext_lazy("review state", "Verified")
    RETURNED = "returned", pgettext_lazy("review state", "Returned")


class Reviewed(models.Model):
    """The review fields of a record; the concrete model adds what is reviewed."""

    review_state = models.CharField(
        _("review status"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # The latest return's reason, shown to the submitter until the next decision; every reason stays
    # in the ReviewStep history.
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_draft(self) -> bool:
        return self.review_state == ReviewState.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.review_state == ReviewState.SUBMITTED

    @property
    def is_verified(self) -> bool:
        return self.review_state == ReviewState.VERIFIED

    @property
    def is_returned(self) -> bool:
        return self.review_state == ReviewState.RETURNED

    @property
    def is_editable(self) -> bool:
        """A draft or a returned record can be changed and submitted (again); the others are locked."""
        return self.review_state in (ReviewState.DRAFT, ReviewState.RETURNED)


class ReviewStep(models.Model):
    """One step in the history of a ``Reviewed`` record: who did what, when, and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("review step", "Submitted")
        VERIFIED = "verified", pgettext_lazy("review step", "Verified")
        RETURNED = "returned", pgettext_lazy("review step", "Returned")
        REOPENED = "reopened", pgettext_lazy("review step", "Reopened")
        # Steps of a record's own life around its review (a follow-up action started or dropped), so
        # that its page shows one history.
        STARTED = "started", pgettext_lazy("review step", "Started")
        DROPPED = "dropped", pgettext_lazy("review step", "Dropped")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("step"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        constraints = [
            # A return, a reopening or a dropping always says why.
            models.CheckConstraint(
                condition=~Q(action__in=["returned", "reopened", "dropped"]) | ~Q(comment=""),
                name="review_step_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
