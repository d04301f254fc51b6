"""The service behind M3 and M4 (layanan): per regency and kind of service, what runs, who runs it, where
and for how many; the coverage the province counts as "full scale"; and each monitoring year's figures.

- ``ServiceRecord``: one per regency and service kind (LLTT with an IPLT, SPALD-T, solid waste).
- ``FullScaleThreshold``: what the province set as full scale for a regency and service kind; M4 is
  verified only when every threshold set for the regency is reached (milestones/selectors/service_records.py).
- ``ServiceYearFigures``: a yearly monitoring record's figures of one service (years 2–5), for the trend.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from milestones.models.documents import MonitoringRecord
from regencies.models import Kecamatan, Regency


class ServiceKind(models.TextChoices):
    """The subsector of a service and its form: the unit of its volume follows (m³ or tonnes)."""

    LLTT = "lltt", _("Domestic wastewater, on-site: scheduled desludging (LLTT) and IPLT")
    SPALD_T = "spald_t", _("Domestic wastewater, off-site network (SPALD-T)")
    SOLID_WASTE = "solid_waste", _("Solid waste (persampahan)")


WASTEWATER_KINDS = frozenset({ServiceKind.LLTT, ServiceKind.SPALD_T})


def volume_unit(kind: str) -> str:
    """The unit of a service's yearly volume: m³ of sludge or wastewater, tonnes of waste."""
    return "m³" if kind in WASTEWATER_KINDS else str(_("tonnes"))


class OperatorKind(models.TextChoices):
    UPTD = "uptd", "UPTD"
    BLUD = "blud", "BLUD"
    OTHER = "other", _("Other")


class ServiceRecord(models.Model):
    """A regency's service of one kind: the model, its operator and legal instrument, the kecamatan it
    covers, households served, volume treated per year, tariff. Edited by the regency's officer or the
    province's Pokja."""

    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="services", verbose_name=_("regency"))
    kind = models.CharField(_("service"), max_length=12, choices=ServiceKind.choices)
    service_model = models.CharField(
        _("service model"),
        max_length=300,
        help_text=_("How the service works, for example: desludging every three years, IPLT at Tamiang Layang."),
    )
    operator_kind = models.CharField(_("operator"), max_length=8, choices=OperatorKind.choices)
    operator_name = models.CharField(_("operator name"), max_length=200, blank=True)
    instrument_kind = models.CharField(
        _("legal instrument"), max_length=100, blank=True, help_text=_("For example: Perbup, SK Bupati.")
    )
    instrument_number = models.CharField(_("instrument number"), max_length=100, blank=True)
    instrument_date = models.DateField(_("instrument date"), null=True, blank=True)
    kecamatan = models.ManyToManyField(
        Kecamatan, blank=True, related_name="services", verbose_name=_("kecamatan covered")
    )
    households_served = models.PositiveIntegerField(_("households served"), default=0)
    volume_per_year = models.DecimalField(
        _("volume treated per year"),
        max_digits=12,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    tariff_in_place = models.BooleanField(_("tariff in place"), default=False)
    tariff_note = models.CharField(_("tariff note"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["regency", "kind"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        constraints = [
            models.UniqueConstraint(fields=["regency", "kind"], name="one_service_per_regency_kind"),
            models.CheckConstraint(condition=Q(volume_per_year__gte=0), name="service_volume_not_negative"),
        ]

    def __str__(self):
        return f"{self.regency} · {self.get_kind_display()}"

    @property
    def unit(self) -> str:
        return volume_unit(self.kind)


class FullScaleThreshold(models.Model):
    """The coverage the province counts as full scale for one regency's service of one kind: a share of
    the regency's kecamatan, a number of households, or both (each set one must be reached)."""

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="full_scale_thresholds", verbose_name=_("regency")
    )
    kind = models.CharField(_("service"), max_length=12, choices=ServiceKind.choices)
    kecamatan_percent = models.PositiveSmallIntegerField(
        _("kecamatan covered (% of all)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    households = models.PositiveIntegerField(_("households served"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), null=True, blank=True)

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["regency", "kind"]
        verbose_name = _("full-scale threshold")
        verbose_name_plural = _("full-scale thresholds")
        constraints = [
            models.UniqueConstraint(fields=["regency", "kind"], name="one_threshold_per_regency_kind"),
            models.CheckConstraint(
                condition=Q(kecamatan_percent__isnull=False) | Q(households__isnull=False),
                name="threshold_sets_something",
            ),
            models.CheckConstraint(
                condition=Q(kecamatan_percent__isnull=True) | Q(kecamatan_percent__gte=1, kecamatan_percent__lte=100),
                name="threshold_percent_1_100",
            ),
        ]

    def __str__(self):
        return f"{self.regency} · {self.get_kind_display()}"


class ServiceYearFigures(models.Model):
    """A yearly monitoring record's figures of one of the regency's services (the same figures as the
    service record), so that coverage has a trend over years 2–5."""

    monitoring = models.ForeignKey(
        MonitoringRecord, on_delete=models.CASCADE, related_name="service_figures", verbose_name=_("monitoring record")
    )
    kind = models.CharField(_("service"), max_length=12, choices=ServiceKind.choices)
    kecamatan = models.ManyToManyField(Kecamatan, blank=True, related_name="+", verbose_name=_("kecamatan covered"))
    households_served = models.PositiveIntegerField(_("households served"), default=0)
    volume_per_year = models.DecimalField(
        _("volume treated per year"),
        max_digits=12,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["monitoring", "kind"]
        verbose_name = _("service figures of a monitoring year")
        verbose_name_plural = _("service figures of monitoring years")
        constraints = [
            models.UniqueConstraint(fields=["monitoring", "kind"], name="one_figures_per_monitoring_kind"),
            models.CheckConstraint(condition=Q(volume_per_year__gte=0), name="figures_volume_not_negative"),
        ]

    def __str__(self):
        return f"{self.monitoring} · {self.get_kind_display()}"

    @property
    def unit(self) -> str:
        return volume_unit(self.kind)
