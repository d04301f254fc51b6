"""A DAK budget line's readiness documents (dokumen kesiapan DAK): the regency's officer uploads them and
submits them, and the Balai covering the regency's province verifies them or returns them with a reason,
through the shared review workflow (``milestones.models.review``).

One ``DakReadiness`` per DAK budget line (an activity's DAK money in one year); a returned one is
corrected (more files) and submitted again, its history keeps every step. Files are stored once per
content (``milestones.models.files.Blob``) and served only after the scope check.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from milestones.models.files import Blob
from milestones.models.planning import BudgetLine
from milestones.models.review import Reviewed


class DakReadiness(Reviewed):
    budget_line = models.OneToOneField(
        BudgetLine, on_delete=models.CASCADE, related_name="dak_readiness", verbose_name=_("DAK budget line")
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("created at"))

    # Raised by every review step (services.review._claim) and upload.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["budget_line"]
        verbose_name = _("DAK readiness documents")
        verbose_name_plural = _("DAK readiness documents")
        indexes = [models.Index(fields=["review_state", "submitted_at"])]

    def __str__(self) -> str:
        return f"DAK · {self.budget_line}"


class DakReadinessFile(models.Model):
    readiness = models.ForeignKey(
        DakReadiness, on_delete=models.CASCADE, related_name="files", verbose_name=_("DAK readiness documents")
    )
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("DAK readiness file")
        verbose_name_plural = _("DAK readiness files")

    def __str__(self) -> str:
        return self.original_name
