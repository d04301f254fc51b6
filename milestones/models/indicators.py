"""Outcome indicators per regency: what the programme exists for (access to proper and safe sanitation,
open-defecation-free villages, waste handled), as data.

- ``IndicatorDefinition``: one indicator (seeded by a data migration; its English name is translated
  when shown, so the catalogue carries the Indonesian one).
- ``RegencyIndicator``: a regency's baseline (year and value) of one indicator, with its targets by year
  (``IndicatorTarget``, from the RPJMD).
- ``IndicatorActual``: a year's actual value with its source, entered by the regency's officer (or the
  province's Pokja) and verified or returned by the province through the shared review workflow
  (``milestones.models.review``). Only verified actuals count in figures, maps and reports.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from milestones.models.review import Reviewed
from regencies.models import Regency

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]

# The seeded indicators' names, for the message catalogue (the migration stores the English text).
SEEDED_NAMES = [
    gettext_noop("Households with access to proper sanitation"),
    gettext_noop("Households with access to safely managed sanitation"),
    gettext_noop("Open-defecation-free villages of all villages"),
    gettext_noop("Household waste handled"),
]


class IndicatorDefinition(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("In English; shown translated."))
    unit = models.CharField(_("unit"), max_length=20, default="%")
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("outcome indicator")
        verbose_name_plural = _("outcome indicators")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.name)


class RegencyIndicator(models.Model):
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("regency"))
    definition = models.ForeignKey(
        IndicatorDefinition, on_delete=models.PROTECT, related_name="regency_indicators", verbose_name=_("indicator")
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_value = models.DecimalField(_("baseline value"), max_digits=5, decimal_places=2, validators=PERCENT)
    baseline_source = models.CharField(_("source of the baseline"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by")
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["regency", "definition__order"]
        verbose_name = _("regency indicator")
        verbose_name_plural = _("regency indicators")
        constraints = [
            models.UniqueConstraint(fields=["regency", "definition"], name="one_indicator_per_regency"),
            models.CheckConstraint(
                condition=Q(baseline_value__gte=0, baseline_value__lte=100), name="indicator_baseline_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regency} · {self.definition}"


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(
        RegencyIndicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=5, decimal_places=2, validators=PERCENT)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year"),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=100), name="indicator_target_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.year}"


class IndicatorActual(Reviewed):
    indicator = models.ForeignKey(
        RegencyIndicator, on_delete=models.CASCADE, related_name="actuals", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("actual value"), max_digits=5, decimal_places=2, validators=PERCENT)
    source = models.CharField(_("source"), max_length=300, help_text=_("For example: Susenas 2024, EHRA, STBM."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("entered at"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indicator actual")
        verbose_name_plural = _("indicator actuals")
        indexes = [models.Index(fields=["review_state", "submitted_at"], name="indicator_actual_waiting")]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_actual_per_year"),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=100), name="indicator_actual_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.year}"
