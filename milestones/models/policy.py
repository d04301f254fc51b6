from django.db import models
from django.utils.translation import gettext_lazy as _

from milestones.models.milestones import Cohort
from regencies.models import Regency


class PolicyPackage(models.Model):
    """The paket kebijakan: the Pokja's recommendations put to the regional head (the heart of M2)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being drafted")
        PROPOSED = "proposed", _("Proposed to the regional head")
        COMMITTED = "committed", _("Committed by the regional head")

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="policy_packages", verbose_name=_("regency")
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="policy_packages",
        verbose_name=_("cohort"),
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    committed_on = models.DateField(_("committed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["regency", "-pk"]
        verbose_name = _("policy package")
        verbose_name_plural = _("policy packages")

    def __str__(self):
        return self.title


class PolicyItem(models.Model):
    class Kind(models.TextChoices):
        REGULATION = "regulation", _("Regulation")
        INSTITUTION = "institution", _("Institution")
        FUNDING = "funding", _("Funding")
        SERVICE = "service", _("Service")
        PROMOTION = "promotion", _("Promotion")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROCESS = "in_process", _("In process")
        ENACTED = "enacted", _("Enacted")
        IMPLEMENTED = "implemented", _("Implemented")

    package = models.ForeignKey(
        PolicyPackage, on_delete=models.CASCADE, related_name="items", verbose_name=_("policy package")
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=500)
    legal_instrument = models.CharField(
        _("legal instrument"), max_length=200, blank=True, help_text=_("For example: Perbup No. 12 Tahun 2022.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["package", "kind", "pk"]
        verbose_name = _("policy package item")
        verbose_name_plural = _("policy package items")

    def __str__(self):
        return self.description
