"""Report jobs (one row per compiled report, immutable once done) and report schedules."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regencies.models import Balai, Province, Regency


class Audience(models.TextChoices):
    NATIONAL = "national", _("National Pokja PPAS")
    PROVINCIAL = "provincial", _("Provincial Pokja")
    BALAI = "balai", _("Balai (BPPW)")
    REGENCY = "regency", _("Regency")


class Language(models.TextChoices):
    INDONESIAN = "id", "Bahasa Indonesia"
    ENGLISH = "en", "English"


def _report_path(instance, filename):
    return f"reports/{instance.pk}/{uuid.uuid4().hex}.pdf"


class ReportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Compiling")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    # The scope follows the audience: nation (none set), a province, a Balai's provinces, or a regency.
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    balai = models.ForeignKey(
        Balai, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Balai")
    )
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("regency")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.INDONESIAN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    schedule = models.ForeignKey(
        "ReportSchedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("schedule"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=_report_path, max_length=200, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    tracker_version = models.CharField(_("tracker version"), max_length=40, blank=True)
    compile_seconds = models.FloatField(_("compile time (s)"), null=True, blank=True)
    query_count = models.PositiveIntegerField(_("database queries"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(audience="national", province__isnull=True, balai__isnull=True, regency__isnull=True)
                    | Q(audience="provincial", province__isnull=False, balai__isnull=True, regency__isnull=True)
                    | Q(audience="balai", province__isnull=True, balai__isnull=False, regency__isnull=True)
                    | Q(audience="regency", province__isnull=True, balai__isnull=True, regency__isnull=False)
                ),
                name="report_scope_matches_audience",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="done_report_has_file"),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self):
        period = f"{self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"
        return f"{self.get_audience_display()} · {self.scope_label} · {period}"

    @property
    def scope_label(self) -> str:
        if self.regency_id:
            return self.regency.name
        if self.province_id:
            return self.province.name
        if self.balai_id:
            return self.balai.short_name or self.balai.name
        return str(_("Indonesia"))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def download_name(self) -> str:
        scope = self.regency_id or self.province_id or (self.balai and self.balai.short_name) or "nasional"
        scope = str(scope).replace(" ", "-").replace(".", "-")
        return f"laporan-ssk-{self.audience}-{scope}-{self.period_end:%Y%m%d}-{self.pk}.pdf"


class ReportSchedule(models.Model):
    """A recurring report, editable in the admin without a deploy. The recipients get a link, never the file."""

    name = models.CharField(_("name"), max_length=200)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
        help_text=_("For a provincial schedule: empty means every province."),
    )
    balai = models.ForeignKey(
        Balai,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Balai"),
        help_text=_("For a Balai schedule: empty means every Balai."),
    )
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("regency")
    )
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), help_text=_("1–28."))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.INDONESIAN)
    recipients = models.TextField(
        _("recipients"), help_text=_("E-mail addresses, one per line or separated by commas.")
    )
    active = models.BooleanField(_("active"), default=True)
    last_run_on = models.DateField(_("last run on"), null=True, blank=True)

    class Meta:
        ordering = ["day_of_month", "name"]
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        constraints = [
            models.CheckConstraint(condition=Q(day_of_month__gte=1, day_of_month__lte=28), name="schedule_day_1_28"),
        ]

    def __str__(self):
        return self.name

    def recipient_list(self) -> list[str]:
        return [r.strip() for r in self.recipients.replace(",", "\n").splitlines() if r.strip()]
