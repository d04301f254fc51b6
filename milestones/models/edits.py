"""What keeps a double click from creating a record twice: the one-time tokens of create forms, once used."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UsedFormToken(models.Model):
    """A create form's one-time token, written in the same transaction as what the form created.

    A second POST with the same token finds this row and is sent to ``result_url`` instead of creating
    again. Rows older than ``milestones.services.edits.TOKEN_MAX_AGE`` are deleted when tokens are used
    (their signature has expired by then, so they could not be replayed anyway).
    """

    # A signed token is about 80 characters (user id, random part, timestamp, signature).
    token = models.CharField(_("token"), max_length=128, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("used at"), auto_now_add=True, db_index=True)
    result_url = models.CharField(_("result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("used form token")
        verbose_name_plural = _("used form tokens")

    def __str__(self):
        return self.token
