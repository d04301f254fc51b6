"""In-app notices: what the tracker e-mails someone also waits for them in the app (the bell in the top bar).

A notice stores the event's kind, the ids it is about and the few values its sentence needs (a regency's
name, a milestone's code, a return reason), never the sentence: ``subject`` and ``detail`` are worded at
display time in the reader's language, so an Indonesian and an English user each read their own. The
values are a snapshot of the event: an update returned and later approved keeps, in its "returned" notice,
the reason it was returned with. The link is a URL name with its arguments, reversed when shown, so a
renamed path does not break old notices. ``services.notices`` writes them (in the event's transaction).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    class Kind(models.TextChoices):
        # The outbox's kinds (services.outbox.HANDLERS) that e-mail someone.
        UPDATE_SUBMITTED = "update_submitted", _("Update submitted for review")
        UPDATE_DECIDED = "update_decided", _("Update decided")
        REMINDER_DIGEST = "reminder_digest", _("Daily tasks")
        SCHEDULED_REPORT = "scheduled_report", _("Scheduled report ready")
        REPORT_DELIVERY = "report_delivery", _("Report delivered")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    # The ids the event is about and the values its sentence needs (see the module's docstring).
    params = models.JSONField(_("details"), default=dict)
    # Where opening the notice leads: a URL name and its arguments, reversed when shown.
    target_name = models.CharField(_("link"), max_length=80)
    target_args = models.JSONField(default=list)
    target_fragment = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The bell's count on every page: the user's unread notices, read from this index alone.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notice_unread"),
            # The list page (newest first) and the pruning of old read ones.
            models.Index(fields=["recipient", "-created_at"], name="notice_by_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.kind} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def outcome(self) -> str:
        """For an update's decision: "approved" or "returned"."""
        return str(self.params.get("outcome", ""))

    @property
    def target_url(self) -> str:
        try:
            url = reverse(self.target_name, args=self.target_args)
        except NoReverseMatch:
            return reverse("home")  # a link of an older version: the home page rather than an error
        return f"{url}#{self.target_fragment}" if self.target_fragment else url

    def subject(self) -> str:
        """One line, in the active language."""
        p = self.params
        if self.kind == self.Kind.UPDATE_SUBMITTED:
            return gettext("%(regency)s submitted an update on %(code)s for review") % p
        if self.kind == self.Kind.UPDATE_DECIDED:
            if self.outcome == "returned":
                return gettext("Your update on %(code)s (%(regency)s) was returned for revision") % p
            return gettext("Your update on %(code)s (%(regency)s) was approved") % p
        if self.kind == self.Kind.REMINDER_DIGEST:
            count = int(p.get("count", 0))
            return ngettext(
                "%(count)d task is waiting for you today", "%(count)d tasks are waiting for you today", count
            ) % {"count": count}
        if self.kind == self.Kind.SCHEDULED_REPORT:
            return gettext("The scheduled report “%(schedule)s” for %(scope)s is ready") % p
        if self.kind == self.Kind.REPORT_DELIVERY:
            return gettext("%(sender)s sent you the report of %(scope)s") % p
        return str(self.get_kind_display())

    def detail(self) -> str:
        """A second line where the event has one: the return reason, the progress approved, the cover note."""
        p = self.params
        if self.kind == self.Kind.UPDATE_DECIDED:
            if self.outcome == "returned":
                return gettext("Reason: %(reason)s") % p
            return gettext("The milestone now stands at %(progress)s%%.") % p
        if self.kind == self.Kind.REPORT_DELIVERY and p.get("note"):
            return gettext("Cover note: %(note)s") % p
        return ""
