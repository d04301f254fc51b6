"""Cohorts, milestone definitions and records, updates with evidence, and their history."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from milestones.models.files import Blob
from regencies.models import Regency


class MilestoneDefinition(models.Model):
    """M1–M4 as data (names from the programme), editable by administrators."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    year_of_cohort = models.PositiveSmallIntegerField(
        _("programme year"), default=1, help_text=_("1 for M1–M3, 2 for M4.")
    )
    requires_previous = models.BooleanField(
        _("requires the previous milestone"),
        default=True,
        help_text=_("Can be verified only after the previous milestone of the same cohort is verified (M2 after M1)."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("milestone definition")
        verbose_name_plural = _("milestone definitions")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=4), name="milestone_number_1_to_4"),
        ]

    def __str__(self):
        return f"M{self.number} · {self.name}"

    @property
    def code(self):
        return f"M{self.number}"


class EvidenceRequirement(models.Model):
    """One piece of evidence a milestone requires (e.g. M1: the regional head's signed commitment)."""

    definition = models.ForeignKey(
        MilestoneDefinition, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("milestone")
    )
    label = models.CharField(_("evidence"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["definition__number", "order", "pk"]
        verbose_name = _("required evidence")
        verbose_name_plural = _("required evidence")

    def __str__(self):
        return f"{self.definition.code}: {self.label}"


class Cohort(models.Model):
    """A regency's entry into the programme by decree: M1–M3 in one year, M4 in the next."""

    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("regency"))
    decree_number = models.CharField(_("decree number"), max_length=150, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    year_m1_m3 = models.PositiveSmallIntegerField(_("year of M1–M3"))
    year_m4 = models.PositiveSmallIntegerField(_("year of M4"))

    class Meta:
        ordering = ["regency", "-year_m1_m3"]
        verbose_name = _("implementation cohort")
        verbose_name_plural = _("implementation cohorts")
        constraints = [
            models.UniqueConstraint(fields=["regency", "year_m1_m3"], name="one_cohort_per_regency_and_year"),
            models.CheckConstraint(condition=Q(year_m4__gte=models.F("year_m1_m3")), name="m4_not_before_m1_m3"),
            models.CheckConstraint(condition=Q(year_m1_m3__gte=2015, year_m1_m3__lte=2100), name="cohort_year_sane"),
        ]

    def __str__(self):
        return f"{self.regency} · {self.year_m1_m3}/{self.year_m4}"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_REVISION = "needs_revision", _("Needs revision")
    VERIFIED = "verified", _("Verified")


class Milestone(models.Model):
    """One regency's record of one milestone definition within one cohort."""

    Status = MilestoneStatus

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("cohort"))
    definition = models.ForeignKey(
        MilestoneDefinition, on_delete=models.PROTECT, related_name="milestones", verbose_name=_("milestone")
    )
    # Kept beside the cohort so that scoping and dashboards filter on one indexed column.
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="milestones", verbose_name=_("regency"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["regency", "cohort", "definition__number"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "definition"], name="one_milestone_per_definition_and_cohort"),
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="milestone_progress_0_100"),
        ]
        indexes = [models.Index(fields=["regency", "status"])]

    def __str__(self):
        return f"{self.regency} · {self.definition.code} ({self.cohort.year_m1_m3})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("milestone", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.VERIFIED

    def is_late(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.planned_date and self.planned_date < today and self.status != self.Status.VERIFIED)

    @classmethod
    def late_q(cls, today=None, *, planned: str = "planned_date", status: str = "status") -> Q:
        """The rule of ``is_late`` for a queryset; ``planned`` and ``status`` name the columns (or the
        annotations of a past date's state) it reads."""
        today = today or timezone.localdate()
        return Q(**{f"{planned}__lt": today}) & ~Q(**{status: cls.Status.VERIFIED})


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

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

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

    # One property per status, so templates ask the update rather than compare status strings.
    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


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


class EvidenceVerdict(models.Model):
    """The reviewer's judgment of one required evidence item on one update: accepted, or rejected with a note.

    It belongs to the update: it may change while the update is submitted and stays, frozen, once the
    update is approved or returned (a reopened milestone keeps its approved update's verdicts as history).
    """

    class Verdict(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    update = models.ForeignKey(
        MilestoneUpdate, on_delete=models.CASCADE, related_name="verdicts", verbose_name=_("update")
    )
    # PROTECT: a requirement someone has been judged on is history and is not deleted with a click.
    requirement = models.ForeignKey(
        EvidenceRequirement, on_delete=models.PROTECT, related_name="verdicts", verbose_name=_("required evidence")
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    note = models.TextField(_("note for the officer"), blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("judged by")
    )
    judged_at = models.DateTimeField(_("judged at"))

    class Meta:
        ordering = ["requirement__order", "requirement__pk"]
        verbose_name = _("evidence verdict")
        verbose_name_plural = _("evidence verdicts")
        constraints = [
            models.UniqueConstraint(fields=["update", "requirement"], name="one_verdict_per_update_and_requirement"),
            models.CheckConstraint(condition=Q(verdict__in=["accepted", "rejected"]), name="verdict_known"),
            models.CheckConstraint(condition=~Q(verdict="rejected") | ~Q(note=""), name="rejected_verdict_has_note"),
        ]

    def __str__(self):
        return f"{self.requirement.label}: {self.get_verdict_display()}"

    @property
    def is_accepted(self) -> bool:
        return self.verdict == self.Verdict.ACCEPTED

    @property
    def is_rejected(self) -> bool:
        return self.verdict == self.Verdict.REJECTED


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
    # The milestone as it stood right after this entry, so that its state on any past date is the
    # latest entry before that date (milestones.selectors.figures, "as of"). The day it was verified
    # is the approving entry's own day, as approve_update sets it, so it needs no column here.
    status_after = models.CharField(_("milestone status after"), max_length=20, choices=MilestoneStatus.choices)
    progress_after = models.PositiveSmallIntegerField(
        _("milestone progress after (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    planned_before = models.DateField(_("planned date before"), null=True, blank=True)
    planned_after = models.DateField(_("planned date after"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [models.Index(fields=["milestone", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_after__gte=0, progress_after__lte=100), name="history_progress_after_0_100"
            ),
        ]

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
    label = _STATUS_LABELS.get(value)
    return str(label) if label is not None else value


# Both vocabularies' lazy labels by value, an update's winning where they share one (as the lookup always
# read them): each history row then takes one dict lookup, not a walk over both enums per label.
_STATUS_LABELS = {**dict(MilestoneStatus.choices), **dict(MilestoneUpdate.Status.choices)}
