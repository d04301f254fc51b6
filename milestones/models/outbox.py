"""The transactional outbox: every message the tracker sends, written in the transaction of its cause.

A row is the promise that the message will be sent: the change that causes it and the row commit (or
roll back) together. ``milestones.services.outbox`` sends what is pending and records each attempt.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    # What to send (a key of ``services.outbox.HANDLERS``) and the ids its handler takes, never content:
    # the handler reads the rows as they are when it runs.
    kind = models.CharField(_("kind"), max_length=40)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Not tried before this moment (the backoff after a failed attempt).
    available_at = models.DateTimeField(_("available from"), default=timezone.now)
    # When the current attempt claimed the row: a row ``sending`` for too long belongs to a dead worker.
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_due")]

    def __str__(self) -> str:
        ids = ", ".join(f"{key}={value}" for key, value in sorted(self.payload.items()))
        return f"{self.kind}({ids}) · {self.get_status_display()}"
