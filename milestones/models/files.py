import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def _random_name(instance, filename):
    # Stored under a random name: the user's file name never reaches the file system.
    token = uuid.uuid4().hex
    return f"blobs/{token[:2]}/{token}"


class Blob(models.Model):
    """An uploaded file's bytes, stored once per SHA-256 however often it is uploaded."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=10)
    file = models.FileField(_("file"), upload_to=_random_name, max_length=200)
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self):
        return f"{self.sha256[:12]}… ({self.content_type})"
