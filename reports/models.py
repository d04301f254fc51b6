"""Report jobs (one row per compiled report, immutable once done) and report schedules.

Every state change of a job is a method of ``ReportJob.objects`` (``ReportJobQuerySet`` below):

    queue() ──▶ queued ──claim()──▶ running ──finish()──▶ done
                  ▲                   │ ▲
                  └──retry_later()────┤ └──take_over(): the claim went stale (its worker died)
                                      └──fail()──▶ failed

and ``requeue_stuck()``, the sweeper's, marks stuck jobs for sending to the workers again. Each change
is one conditional UPDATE (``filter(pk=…, status=…, claim_token=…).update(…)``) that says whether it
changed the row: of two workers racing for a job only one wins, and a worker that lost its claim
changes nothing.
"""

import datetime
import re
import uuid
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regencies.models import Balai, Province, Regency
from ssk_tracker.lib.codes import keyed_code


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


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Compiling")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# An absolute path in an error's text ("/srv/ssk/media/reports/7/….pdf"); not a URL's "//host/…".
_SERVER_PATH = re.compile(r"(?<![\w.:/~-])/[^\s'\"/:]+(?:/[^\s'\"/:]*)+")


def failure_message(error: BaseException) -> str:
    """The error as the reports page shows it: its kind and text, server paths cut to the file's name."""
    text = _SERVER_PATH.sub(lambda path: path.group(0).rstrip("/").rsplit("/", 1)[-1], str(error))
    return f"{type(error).__name__}: {text}"[:2000]


def failure_reason(error: str) -> str:
    """What a failed report's requester reads (``error`` keeps the technical detail for administrators)."""
    kind = error.split(":", 1)[0]
    if "No space left" in error or "Errno 28" in error:
        return gettext(
            "The report could not be saved: the server's storage is full. Tell the administrator of the "
            "SSK Tracker; try again once they have made room."
        )
    if kind in ("TimeLimitExceeded", "SoftTimeLimitExceeded", "TimeoutError"):
        return gettext(
            "Compiling the report took too long. Try again (a shorter period helps); if it fails again, "
            "tell the administrator of the SSK Tracker."
        )
    if kind in ("OperationalError", "InterfaceError", "ConnectionError", "ConnectionRefusedError"):
        return gettext("The server lost its connection to the database while compiling. Try again in a few minutes.")
    return gettext(
        "The report could not be compiled because of an error on the server. Try again; if it fails again, "
        "tell the administrator of the SSK Tracker when you requested it."
    )


def verification_code(pk: int) -> str:
    """The code printed in the report's footers: keyed by REPORT_CODE_KEY, so it cannot be guessed from the id."""
    return keyed_code(f"report-job:{pk}", key=settings.REPORT_CODE_KEY)


class ReportJobQuerySet(models.QuerySet):
    """The life of a report job, one method per state change (see the module's docstring)."""

    def queue(self, **fields) -> "ReportJob":
        """A new job, waiting for a worker, with its verification code (it needs the job's id)."""
        with transaction.atomic():
            job = cast("ReportJob", self.create(status=JobStatus.QUEUED, queued_at=timezone.now(), **fields))
            job.verification_code = verification_code(job.pk)
            self.filter(pk=job.pk).update(verification_code=job.verification_code)
        return job

    def claim(self, pk: int) -> uuid.UUID | None:
        """Start compiling a queued job, or take over a running one whose worker died.

        Claiming is starting: status, start time, attempt and claim token change in one UPDATE. Returns
        this attempt's token, or None when another worker holds the job or it is finished.
        """
        return self._start(pk, Q(status=JobStatus.QUEUED)) or self.take_over(pk)

    def take_over(self, pk: int) -> uuid.UUID | None:
        """Start again a job running for longer than REPORT_STALE_AFTER_SECONDS (its worker died)."""
        return self._start(pk, Q(status=JobStatus.RUNNING, started_at__lt=self._stale_before()))

    def held_by_live_worker(self, pk: int) -> bool:
        """Running, and not yet stale: another worker may still finish it."""
        return self.filter(pk=pk, status=JobStatus.RUNNING, started_at__gte=self._stale_before()).exists()

    def finish(
        self,
        pk: int,
        token: uuid.UUID,
        *,
        file: str,
        page_count: int,
        size: int,
        sha256: str,
        content_sha256: str = "",
        data_as_of: datetime.datetime,
        compile_seconds: float,
        query_count: int,
    ) -> bool:
        """Done, with the stored file and its figures; False (nothing changed) if the claim was lost."""
        finished = self._holding(pk, token).update(
            status=JobStatus.DONE,
            file=file,
            page_count=page_count,
            size=size,
            sha256=sha256,
            content_sha256=content_sha256,
            data_as_of=data_as_of,
            tracker_version=settings.TRACKER_VERSION,
            finished_at=timezone.now(),
            compile_seconds=compile_seconds,
            query_count=query_count,
        )
        return finished == 1

    def retry_later(self, pk: int, token: uuid.UUID, error: BaseException) -> bool:
        """A failed attempt with retries left: back to the queue, the error shown until the next attempt."""
        return self._holding(pk, token).update(status=JobStatus.QUEUED, error=failure_message(error)) == 1

    def fail(self, pk: int, token: uuid.UUID, error: BaseException) -> bool:
        """The last attempt failed: failed for good, with a message a user can read."""
        failed = self._holding(pk, token).update(
            status=JobStatus.FAILED, error=failure_message(error), finished_at=timezone.now()
        )
        return failed == 1

    def requeue_stuck(self, now: datetime.datetime) -> list[int]:
        """The sweeper's part: jobs queued too long (the broker was down when they were requested) or
        running past the stale limit get a fresh queued time; returns their ids, to send to the workers."""
        stuck = Q(
            status=JobStatus.QUEUED,
            queued_at__lt=now - datetime.timedelta(seconds=settings.REPORT_REQUEUE_AFTER_SECONDS),
        ) | Q(status=JobStatus.RUNNING, started_at__lt=self._stale_before(now))
        candidates = list(self.filter(stuck).values_list("pk", flat=True))
        # Stamped one by one, under the same condition: a job that moved on meanwhile is left alone.
        return [pk for pk in candidates if self.filter(stuck, pk=pk).update(queued_at=now)]

    def _start(self, pk: int, condition: Q) -> uuid.UUID | None:
        token = uuid.uuid4()
        started = self.filter(condition, pk=pk).update(
            status=JobStatus.RUNNING, claim_token=token, started_at=timezone.now(), attempts=F("attempts") + 1, error=""
        )
        return token if started == 1 else None

    def _holding(self, pk: int, token: uuid.UUID) -> "ReportJobQuerySet":
        """The job, if this attempt still holds its claim."""
        return self.filter(pk=pk, status=JobStatus.RUNNING, claim_token=token)

    @staticmethod
    def _stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
        return (now or timezone.now()) - datetime.timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS)


class ReportJob(models.Model):
    Status = JobStatus

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
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    # Printed in every page's footer and looked up on /laporan/verifikasi/ (reports/verification.py).
    verification_code = models.CharField(
        _("verification code"), max_length=12, unique=True, null=True, blank=True, editable=False
    )
    # The SHA-256 of the data the report was typeset from, printed on its title page (a PDF cannot carry
    # its own file's hash; ``sha256`` above is the file's, for checking an uploaded copy).
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    tracker_version = models.CharField(_("tracker version"), max_length=40, blank=True)
    compile_seconds = models.FloatField(_("compile time (s)"), null=True, blank=True)
    query_count = models.PositiveIntegerField(_("database queries"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

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
        if self.regency:
            return self.regency.name
        if self.province:
            return self.province.name
        if self.balai:
            return self.balai.short_name or self.balai.name
        return str(_("Indonesia"))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def failure_reason(self) -> str:
        return failure_reason(self.error) if self.error else ""

    def download_name(self) -> str:
        scope = self.regency_id or self.province_id or (self.balai and self.balai.short_name) or "nasional"
        scope = str(scope).replace(" ", "-").replace(".", "-")
        return f"laporan-ssk-{self.audience}-{scope}-{self.period_end:%Y%m%d}-{self.pk}.pdf"


def split_recipients(text: str) -> list[str]:
    """The addresses of a recipients field: one per line, or separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[\s,;]+", text) if part]


def validate_recipients(text: str) -> None:
    """Every address a real one, in words a Pokja can act on (which address is wrong)."""
    addresses = split_recipients(text)
    if not addresses:
        raise ValidationError(_("Enter at least one e-mail address."), code="no_recipients")
    wrong = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            wrong.append(address)
    if wrong:
        raise ValidationError(
            _("“%(addresses)s” is not a valid e-mail address.")
            if len(wrong) == 1
            else _("These are not valid e-mail addresses: %(addresses)s."),
            code="invalid_recipient",
            params={"addresses": ", ".join(wrong)},
        )


class ReportSchedule(models.Model):
    """A recurring report. Coordinators and the provincial Pokja manage theirs on the Laporan page
    (reports/schedules.py); administrators all of them in the admin. The recipients get a link, never the file."""

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
        _("recipients"),
        help_text=_("E-mail addresses, one per line or separated by commas."),
        validators=[validate_recipients],
    )
    active = models.BooleanField(_("active"), default=True)
    last_run_on = models.DateField(_("last run on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Empty on schedules made before this was recorded.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, null=True)

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
        return split_recipients(self.recipients)

    @property
    def scope_label(self) -> str:
        if self.regency:
            return self.regency.name
        if self.province:
            return self.province.name
        if self.balai:
            return self.balai.short_name or self.balai.name
        if self.audience == Audience.PROVINCIAL:
            return str(_("Every province"))
        if self.audience == Audience.BALAI:
            return str(_("Every Balai"))
        return str(_("Indonesia"))

    def next_run_on(self, today: datetime.date, *, todays_run_passed: bool = False) -> datetime.date | None:
        """The day the scheduler will next start this schedule; None while it is paused.

        The one rule the Laporan page shows and ``run_due_schedules`` obeys (it starts a schedule only
        when this says today). The scheduler runs once a day (settings.REPORT_SCHEDULE_HOUR):
        ``todays_run_passed`` says that run is over, so today's day is gone even if it did not run.
        The day is 1–28, so every month has it (February too).
        """
        if not self.active:
            return None
        this_month = today.replace(day=self.day_of_month)
        if this_month > today:
            return this_month
        if this_month == today and self.last_run_on != today and not todays_run_passed:
            return today
        first_of_next = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        return first_of_next.replace(day=self.day_of_month)


class Recipient(models.TextChoices):
    """Whom a regency's or a province's report goes to (regencies.scoping names the same kinds)."""

    NATIONAL = "national", _("National Pokja PPAS")
    PROVINCIAL = "provincial", _("Provincial Pokja")
    BALAI = "balai", _("Balai (BPPW)")


class ReportDelivery(models.Model):
    """A done report sent to one recipient (reports.deliveries): who sent it, when, with what note, and
    who of the recipient's users acknowledged it ("diterima"). One row per report and recipient."""

    job = models.ForeignKey(ReportJob, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("report"))
    recipient = models.CharField(_("recipient"), max_length=12, choices=Recipient.choices)
    # The province (provincial Pokja) or the Balai the recipient means; none for the national Pokja.
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    balai = models.ForeignKey(
        Balai, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Balai")
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"))
    cover_note = models.TextField(_("cover note"), blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    # Claimed by the e-mail task before it sends, so that a redelivered task sends nothing.
    notified_at = models.DateTimeField(_("recipients notified at"), null=True, blank=True)
    # The follow-up action of a coaching clinic this delivery answers (e.g. CC6's "report to the
    # Pokja PPAS Nasional, the province and the Balai"). The key lives here because reports builds on
    # milestones, never the other way round.
    follow_up_action = models.ForeignKey(
        "milestones.FollowUpAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_deliveries",
        verbose_name=_("follow-up action answered"),
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(recipient="national", province__isnull=True, balai__isnull=True)
                    | Q(recipient="provincial", province__isnull=False, balai__isnull=True)
                    | Q(recipient="balai", province__isnull=True, balai__isnull=False)
                ),
                name="delivery_recipient_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="delivery_acknowledged_by_someone",
            ),
            # One delivery per report and recipient: a second press (or a concurrent one) fails here.
            models.UniqueConstraint(
                fields=["job"], condition=Q(recipient="national"), name="one_national_delivery_per_report"
            ),
            models.UniqueConstraint(
                fields=["job", "province"],
                condition=Q(recipient="provincial"),
                name="one_provincial_delivery_per_report",
            ),
            models.UniqueConstraint(
                fields=["job", "balai"], condition=Q(recipient="balai"), name="one_balai_delivery_per_report"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "acknowledged_at"])]

    def __str__(self):
        return f"{self.job} → {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.recipient == Recipient.PROVINCIAL and self.province is not None:
            return gettext("Provincial Pokja %(province)s") % {"province": self.province.name}
        if self.recipient == Recipient.BALAI and self.balai is not None:
            return self.balai.short_name or self.balai.name
        return str(Recipient(self.recipient).label)

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
