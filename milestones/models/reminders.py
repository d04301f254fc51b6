"""The daily reminder digest: one row per person per day."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderDigest(models.Model):
    """One row per person per day: the daily reminder job sends a digest only if it can create this row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    item_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_day")]

    def __str__(self):
        return f"{self.user} · {self.day}"
