from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from milestones.models.files import Blob
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


class QualityReview(models.Model):
    """The province's quality assurance of an SSK document: a finding per chapter, then an outcome."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REVISE = "revise", _("Revise")

    document = models.ForeignKey(
        SSKDocument, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("SSK document")
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

    def __str__(self):
        return f"{self.document} · {self.get_outcome_display()}"


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
