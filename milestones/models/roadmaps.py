"""The province's own documents (Permendagri 87/2022): its Roadmap Sanitasi Provinsi, which the national
Pokja reviews through the shared review workflow (``milestones.models.review``), and its policy package
(Pergub, SK and the like, each with its status and file).

A separate model from the regency's ``SSKDocument`` (whose QA is the province's chapter checklist and whose
many readers expect ``document.regency``): the roadmap reuses the shared ``Reviewed`` fields, services and
history rather than copying them.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from milestones.models.files import Blob
from milestones.models.review import Reviewed
from regencies.models import Province


class ProvincialRoadmap(Reviewed):
    """A province's Roadmap Sanitasi Provinsi for a period: prepared by its Pokja, reviewed nationally."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="roadmaps", verbose_name=_("province")
    )
    period_start = models.PositiveSmallIntegerField(_("period from"))
    period_end = models.PositiveSmallIntegerField(_("period to"))
    title = models.CharField(_("title"), max_length=300)
    file = models.ForeignKey(
        Blob, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("document file")
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["province", "-period_start"]
        verbose_name = _("provincial sanitation roadmap")
        verbose_name_plural = _("provincial sanitation roadmaps")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=models.F("period_start")), name="roadmap_period_order"),
            models.UniqueConstraint(fields=["province", "period_start"], name="one_roadmap_per_province_and_period"),
        ]

    def __str__(self) -> str:
        return f"Roadmap {self.province} {self.period_start}–{self.period_end}"


class ProvincialPolicy(models.Model):
    """One document of the province's policy package: a governor's regulation or decree, with its status."""

    class Kind(models.TextChoices):
        PERGUB = "pergub", _("Governor regulation (Pergub)")
        SK = "sk", _("Governor decree (SK Gubernur)")
        OTHER = "other", _("Other policy document")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being drafted")
        IN_PROCESS = "in_process", _("In process")
        ENACTED = "enacted", _("Enacted")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="policies", verbose_name=_("province")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("instrument number"), max_length=150, blank=True)
    enacted_on = models.DateField(_("enacted on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    file = models.ForeignKey(
        Blob, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("document file")
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["province", "kind", "pk"]
        verbose_name = _("provincial policy document")
        verbose_name_plural = _("provincial policy documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="enacted") | (~Q(number="") & Q(enacted_on__isnull=False)),
                name="enacted_policy_has_number_and_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title
