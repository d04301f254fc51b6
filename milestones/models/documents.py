"""SSK documents and their provincial QA, policy packages, yearly monitoring after M4."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from milestones.models.files import Blob
from milestones.models.milestones import Cohort
from regencies.models import Regency


class SSKDocument(models.Model):
    """A regency's 5-year sanitation strategy: draft → provincial QA → final → enacted."""

    class Kind(models.TextChoices):
        NEW = "new", _("Preparation (penyusunan)")
        UPDATE = "update", _("Update (pemutakhiran)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUALITY_ASSURANCE = "quality_assurance", _("Provincial quality assurance")
        FINAL = "final", _("Final")
        ENACTED = "enacted", _("Enacted")

    class Instrument(models.TextChoices):
        PERBUP = "perbup", _("Regent/mayor regulation (Perbup/Perwali)")
        SK = "sk", _("Regent/mayor decree (SK)")

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="ssk_documents", verbose_name=_("regency")
    )
    period_start = models.PositiveSmallIntegerField(_("period from"))
    period_end = models.PositiveSmallIntegerField(_("period to"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    file = models.ForeignKey(
        Blob, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("document file")
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    instrument = models.CharField(_("legal instrument"), max_length=10, choices=Instrument.choices, blank=True)
    instrument_number = models.CharField(_("instrument number"), max_length=150, blank=True)
    instrument_date = models.DateField(_("instrument date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["regency", "-period_start"]
        verbose_name = _("SSK document")
        verbose_name_plural = _("SSK documents")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="ssk_period_order"),
            models.CheckConstraint(
                condition=~Q(status="enacted")
                | (~Q(instrument="") & ~Q(instrument_number="") & Q(instrument_date__isnull=False)),
                name="enacted_ssk_has_instrument",
            ),
            models.UniqueConstraint(fields=["regency", "period_start"], name="one_ssk_per_regency_and_period"),
        ]

    def __str__(self):
        return f"SSK {self.regency} {self.period_start}–{self.period_end}"

    @property
    def latest_review(self) -> "QualityReview | None":
        """The newest review: from ``review_list`` when the selector prefetched it (newest first), else one query."""
        reviews = getattr(self, "review_list", None)
        if reviews is not None:
            return reviews[0] if reviews else None
        return self.reviews.order_by("-reviewed_at", "-pk").first()

    # One property per step the pages act on, so templates ask the document rather than compare strings.
    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def in_quality_assurance(self) -> bool:
        return self.status == self.Status.QUALITY_ASSURANCE

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class QualityReview(models.Model):
    """A quality-assurance review of a strategy document, a finding per chapter, then an outcome: the
    province's review of a regency's SSK document, or the national Pokja's review of a province's
    Roadmap Sanitasi Provinsi (the same chapters). Exactly one of ``document`` and ``roadmap`` is set."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REVISE = "revise", _("Revise")

    document = models.ForeignKey(
        SSKDocument,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("SSK document"),
    )
    roadmap = models.ForeignKey(
        "milestones.ProvincialRoadmap",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quality_reviews",
        verbose_name=_("provincial sanitation roadmap"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = _("quality-assurance review")
        verbose_name_plural = _("quality-assurance reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, roadmap__isnull=True)
                | Q(document__isnull=True, roadmap__isnull=False),
                name="quality_review_of_one_document_or_roadmap",
            ),
        ]

    def __str__(self):
        return f"{self.document or self.roadmap} · {self.get_outcome_display()}"

    @property
    def asks_for_revision(self) -> bool:
        return self.outcome == self.Outcome.REVISE


class QualityReviewItem(models.Model):
    class Chapter(models.TextChoices):
        FRAMEWORK = "framework", _("Development framework (vision, goals, targets)")
        STRATEGY = "strategy", _("Strategy")
        PROGRAMMES = "programmes", _("Programmes and activities with indicative funding")
        MONITORING = "monitoring", _("Monitoring and evaluation")
        LOGFRAME = "logframe", _("Appendix: logical framework")
        SWOT = "swot", _("Appendix: SWOT analysis")

    review = models.ForeignKey(QualityReview, on_delete=models.CASCADE, related_name="items", verbose_name=_("review"))
    chapter = models.CharField(_("chapter"), max_length=12, choices=Chapter.choices)
    adequate = models.BooleanField(_("adequate"))
    finding = models.TextField(_("finding"), blank=True)

    class Meta:
        ordering = ["review", "pk"]
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        constraints = [models.UniqueConstraint(fields=["review", "chapter"], name="one_finding_per_chapter")]

    def __str__(self):
        return self.get_chapter_display()


class PolicyPackage(models.Model):
    """The paket kebijakan: the Pokja's recommendations put to the regional head (the heart of M2)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being drafted")
        PROPOSED = "proposed", _("Proposed to the regional head")
        COMMITTED = "committed", _("Committed by the regional head")

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="policy_packages", verbose_name=_("regency")
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="policy_packages",
        verbose_name=_("cohort"),
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    committed_on = models.DateField(_("committed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["regency", "-pk"]
        verbose_name = _("policy package")
        verbose_name_plural = _("policy packages")

    def __str__(self):
        return self.title


class PolicyItem(models.Model):
    class Kind(models.TextChoices):
        REGULATION = "regulation", _("Regulation")
        INSTITUTION = "institution", _("Institution")
        FUNDING = "funding", _("Funding")
        SERVICE = "service", _("Service")
        PROMOTION = "promotion", _("Promotion")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROCESS = "in_process", _("In process")
        ENACTED = "enacted", _("Enacted")
        IMPLEMENTED = "implemented", _("Implemented")

    package = models.ForeignKey(
        PolicyPackage, on_delete=models.CASCADE, related_name="items", verbose_name=_("policy package")
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=500)
    legal_instrument = models.CharField(
        _("legal instrument"), max_length=200, blank=True, help_text=_("For example: Perbup No. 12 Tahun 2022.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["package", "kind", "pk"]
        verbose_name = _("policy package item")
        verbose_name_plural = _("policy package items")

    def __str__(self):
        return self.description


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

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

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
