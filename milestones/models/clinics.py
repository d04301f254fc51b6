from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from milestones.models.files import Blob
from milestones.models.milestones import MilestoneDefinition
from regencies.models import Agency, Province, Regency, WorkingGroup


class CoachingClinic(models.Model):
    """A coaching clinic (CC1–CC7) run by the province for one or more regencies."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person (luring)")
        ONLINE = "online", _("Online (daring)")
        HYBRID = "hybrid", _("Hybrid")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="coaching_clinics", verbose_name=_("province")
    )
    number = models.PositiveSmallIntegerField(
        _("clinic number"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    opened_by = models.CharField(_("opened by"), max_length=300, blank=True)
    organiser = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_clinics",
        verbose_name=_("organising Pokja"),
    )
    regencies = models.ManyToManyField(Regency, related_name="coaching_clinics", verbose_name=_("regencies covered"))
    milestone = models.ForeignKey(
        MilestoneDefinition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_clinics",
        verbose_name=_("milestone reviewed"),
    )
    summary = models.TextField(_("summary"), blank=True)
    minutes = models.ForeignKey(
        Blob,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes (berita acara)"),
    )
    minutes_name = models.CharField(_("minutes file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("coaching clinic")
        verbose_name_plural = _("coaching clinics")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=7), name="clinic_number_1_to_7"),
        ]

    def __str__(self):
        return f"CC{self.number} · {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("clinic", args=[self.pk])


class ClinicParticipant(models.Model):
    clinic = models.ForeignKey(
        CoachingClinic, on_delete=models.CASCADE, related_name="participants", verbose_name=_("coaching clinic")
    )
    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    agency_name = models.CharField(_("agency (as written)"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    online = models.BooleanField(_("joined online"), default=False)

    class Meta:
        ordering = ["clinic", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.name


class Recommendation(models.Model):
    clinic = models.ForeignKey(
        CoachingClinic, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("coaching clinic")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("recommendation"))

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["clinic", "order", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return self.text[:80]


class FollowUpAction(models.Model):
    """A concrete step a clinic asked for, owned by a Pokja, a regency or an agency, with a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        # The owner's closing waits for the organising province's acceptance (milestones.models.closings).
        CLOSING = "closing", _("Waiting for acceptance")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    ACTIVE_STATUSES = [Status.OPEN, Status.IN_PROGRESS]

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions", verbose_name=_("recommendation")
    )
    # The province the action lives in (copied from the clinic) and, when it concerns one regency,
    # that regency: scoping filters on these.
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_actions",
        verbose_name=_("regency concerned"),
    )
    description = models.TextField(pgettext_lazy("follow-up", "action"))  # tindak lanjut, not a log's tindakan
    assigned_working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_actions",
        verbose_name=_("assigned to Pokja"),
    )
    assigned_regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_actions",
        verbose_name=_("assigned to regency"),
    )
    assigned_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_actions",
        verbose_name=_("assigned to agency"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    evidence = models.ManyToManyField(Blob, through="ActionEvidence", blank=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(assigned_working_group__isnull=False, assigned_regency__isnull=True, assigned_agency__isnull=True)
                    | Q(
                        assigned_working_group__isnull=True,
                        assigned_regency__isnull=False,
                        assigned_agency__isnull=True,
                    )
                    | Q(
                        assigned_working_group__isnull=True,
                        assigned_regency__isnull=True,
                        assigned_agency__isnull=False,
                    )
                ),
                name="follow_up_has_one_owner",
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""), name="dropped_action_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["province", "status", "due_date"])]

    def __str__(self):
        return self.description[:80]

    @property
    def owner(self):
        return self.assigned_working_group or self.assigned_regency or self.assigned_agency

    @property
    def is_active(self) -> bool:
        """Open or in progress: the action can still be started, closed or dropped."""
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_dropped(self) -> bool:
        return self.status == self.Status.DROPPED

    @property
    def is_waiting_for_acceptance(self) -> bool:
        return self.status == self.Status.CLOSING

    @property
    def is_closed(self) -> bool:
        """Done or dropped: only the province's Pokja can reopen it."""
        return self.status in (self.Status.DONE, self.Status.DROPPED)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in self.ACTIVE_STATUSES and self.due_date < today

    @classmethod
    def overdue_q(cls, today=None, *, status: str = "status") -> Q:
        """The rule of ``is_overdue`` for a queryset; ``status`` names the column (or a past date's annotation)."""
        today = today or timezone.localdate()
        return Q(**{f"{status}__in": cls.ACTIVE_STATUSES}, due_date__lt=today)


class ActionEvidence(models.Model):
    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="evidence_files")
    # The closing attempt the file was uploaded with (none for files older than closings).
    closing = models.ForeignKey(
        "milestones.FollowUpClosing", on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("follow-up evidence")
        verbose_name_plural = _("follow-up evidence")

    def __str__(self):
        return self.original_name
