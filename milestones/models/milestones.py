from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("milestone", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.VERIFIED

    def is_late(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.planned_date and self.planned_date < today and self.status != self.Status.VERIFIED)

    @classmethod
    def late_q(cls, today=None) -> Q:
        today = today or timezone.localdate()
        return Q(planned_date__lt=today) & ~Q(status=cls.Status.VERIFIED)


class MonitoringRecord(models.Model):
    """After M4 the province keeps tracking the regency yearly (tahun ke-2 … ke-5)."""

    class Assessment(models.TextChoices):
        ON_TRACK = "on_track", _("On plan")
        SPEED_UP = "speed_up", _("Needs speeding up")
        FIX_METHOD = "fix_method", _("Method needs fixing")
        CHANGE = "change", _("Implementation needs changing")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="monitoring", verbose_name=_("cohort"))
    year_index = models.PositiveSmallIntegerField(
        _("year of implementation"), validators=[MinValueValidator(2), MaxValueValidator(5)]
    )
    year = models.PositiveSmallIntegerField(_("calendar year"))
    assessment = models.CharField(_("assessment"), max_length=20, choices=Assessment.choices)
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["cohort", "year_index"]
        verbose_name = _("yearly monitoring record")
        verbose_name_plural = _("yearly monitoring records")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "year_index"], name="one_monitoring_per_cohort_year"),
            models.CheckConstraint(condition=Q(year_index__gte=2, year_index__lte=5), name="monitoring_year_2_to_5"),
        ]

    def __str__(self):
        return _("%(regency)s · year %(n)s") % {"regency": self.cohort.regency, "n": self.year_index}
