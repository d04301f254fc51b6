from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from milestones.models.files import Blob
from milestones.models.milestones import EvidenceRequirement, Milestone, MilestoneStatus


class MilestoneUpdate(models.Model):
    """A regency officer's report on a milestone: draft → submitted → returned / approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    OPEN_STATUSES = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED]

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="updates", verbose_name=_("milestone")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField(_("what was achieved"))
    obstacles = models.TextField(_("obstacles (kendala)"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    requirements_met = models.ManyToManyField(
        EvidenceRequirement, blank=True, related_name="updates", verbose_name=_("required evidence satisfied")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="milestone_updates",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("milestone update")
        verbose_name_plural = _("milestone updates")
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="update_progress_0_100"),
            # One open update per milestone: the officer revises it rather than starting another.
            models.UniqueConstraint(
                fields=["milestone"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="one_open_update_per_milestone",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="returned_update_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.milestone} · {self.get_status_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Evidence(models.Model):
    """A file attached to an update, under the name the officer gave it."""

    update = models.ForeignKey(
        MilestoneUpdate, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("update")
    )
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("file"))
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name


class HistoryEntry(models.Model):
    """Every transition of a milestone or its updates: who, when, from, to, and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Draft created")
        EDITED = "edited", _("Draft edited")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")
        REOPENED = "reopened", _("Milestone reopened")
        PLANNED = "planned", _("Plan changed")

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="history", verbose_name=_("milestone")
    )
    update = models.ForeignKey(
        MilestoneUpdate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("update"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    @property
    def from_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(self.to_status)


def _status_label(value: str) -> str:
    """An update's or a milestone's status in words; other values (planned dates) as they are."""
    for choices in (MilestoneUpdate.Status, MilestoneStatus):
        if value in choices.values:
            return choices(value).label
    return value
