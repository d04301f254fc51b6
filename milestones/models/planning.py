"""SSK programme activities, their integration into planning documents, budget lines, APBD totals."""

from typing import TypedDict

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regencies.models import Regency


class _DecimalShape(TypedDict):
    max_digits: int
    decimal_places: int


# Rupiah to the sen, up to 10^16: every amount field has this shape (and so do the spreadsheet checks).
MONEY: _DecimalShape = {"max_digits": 18, "decimal_places": 2}


class Subsector(models.TextChoices):
    WASTEWATER = "wastewater", _("Domestic wastewater (air limbah domestik)")
    SOLID_WASTE = "solid_waste", _("Solid waste (persampahan)")
    DRAINAGE = "drainage", _("Drainage (drainase lingkungan)")
    HYGIENE = "hygiene", _("Hygiene (PHBS/STBM)")


class PlanningDocument(models.TextChoices):
    RPJMD = "rpjmd", "RPJMD"
    RKPD = "rkpd", "RKPD"
    RENSTRA_PD = "renstra_pd", "Renstra-PD"
    RENJA_PD = "renja_pd", "Renja-PD"


class FundingSource(models.TextChoices):
    APBD_REGENCY = "apbd_regency", _("APBD kabupaten/kota")
    APBD_PROVINCE = "apbd_province", _("APBD provinsi")
    APBN = "apbn", "APBN"
    DAK = "dak", "DAK"
    DANA_DESA = "dana_desa", _("Dana Desa")
    PRIVATE = "private", _("Private/CSR (swasta/CSR)")
    COMMUNITY = "community", _("Community (masyarakat)")


class ProgrammeActivity(models.Model):
    """A programme activity from the regency's SSK, with its responsible agency (OPD) and years."""

    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="activities", verbose_name=_("regency"))
    code = models.CharField(_("code"), max_length=30, help_text=_("The activity's code in the SSK, e.g. AL-01."))
    subsector = models.CharField(_("subsector"), max_length=12, choices=Subsector.choices)
    name = models.CharField(_("activity"), max_length=400)
    agency = models.CharField(_("responsible agency (OPD)"), max_length=200)
    location = models.CharField(_("location"), max_length=300, blank=True)
    year_start = models.PositiveSmallIntegerField(_("from year"))
    year_end = models.PositiveSmallIntegerField(_("to year"))

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["regency", "code"]
        verbose_name = _("programme activity")
        verbose_name_plural = _("programme activities")
        constraints = [
            models.UniqueConstraint(fields=["regency", "code"], name="activity_code_unique_in_regency"),
            models.CheckConstraint(condition=Q(year_end__gte=models.F("year_start")), name="activity_years_order"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class PlanningIntegration(models.Model):
    """Whether an activity reached a planning document (RPJMD, RKPD, Renstra-PD, Renja-PD) in a year."""

    activity = models.ForeignKey(
        ProgrammeActivity, on_delete=models.CASCADE, related_name="integrations", verbose_name=_("activity")
    )
    document = models.CharField(_("planning document"), max_length=12, choices=PlanningDocument.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    included = models.BooleanField(_("included"))
    nomenclature = models.CharField(_("name in the document (nomenklatur)"), max_length=400, blank=True)
    amount = models.DecimalField(_("amount (pagu)"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["activity", "document", "year"]
        verbose_name = _("planning-document integration")
        verbose_name_plural = _("planning-document integration")
        constraints = [
            models.UniqueConstraint(fields=["activity", "document", "year"], name="one_integration_per_doc_year"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="integration_amount_pos"),
        ]

    def __str__(self):
        return f"{self.activity} · {self.get_document_display()} {self.year}"


class BudgetLine(models.Model):
    """Money for an activity in a year from one source: indicative (SSK), allocated, realised."""

    activity = models.ForeignKey(
        ProgrammeActivity, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("activity")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("funding source"), max_length=15, choices=FundingSource.choices)
    indicative = models.DecimalField(_("indicative (SSK)"), default=0, **MONEY)
    allocated = models.DecimalField(_("allocated"), default=0, **MONEY)
    realised = models.DecimalField(_("realised"), default=0, **MONEY)

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["activity", "year", "source"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["activity", "year", "source"], name="one_budget_line_per_source_year"),
            models.CheckConstraint(
                condition=Q(indicative__gte=0, allocated__gte=0, realised__gte=0), name="budget_amounts_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.activity} · {self.year} · {self.get_source_display()}"


class RegionalBudget(models.Model):
    """The regency's total APBD for a year, to compute the sanitation share, and what the APBD gives the four
    sectors CC6's third follow-up names (housing, settlements, drinking water, sanitation); a sector not
    entered is unknown, not zero. The sectors together never exceed the total."""

    # The sector fields in the order the pages show them (``milestones.selectors.planning.ApbdYear``).
    SECTORS = ("housing", "settlements", "drinking_water", "sanitation")

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="regional_budgets", verbose_name=_("regency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    total_apbd = models.DecimalField(_("total APBD"), **MONEY)
    housing = models.DecimalField(_("housing (perumahan)"), null=True, blank=True, **MONEY)
    settlements = models.DecimalField(_("settlements (kawasan permukiman)"), null=True, blank=True, **MONEY)
    drinking_water = models.DecimalField(_("drinking water (air minum)"), null=True, blank=True, **MONEY)
    sanitation = models.DecimalField(_("sanitation (sanitasi)"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["regency", "year"]
        verbose_name = _("regional budget (APBD)")
        verbose_name_plural = _("regional budgets (APBD)")
        constraints = [
            models.UniqueConstraint(fields=["regency", "year"], name="one_apbd_per_regency_year"),
            models.CheckConstraint(condition=Q(total_apbd__gt=0), name="apbd_positive"),
            models.CheckConstraint(
                condition=(
                    (Q(housing__isnull=True) | Q(housing__gte=0))
                    & (Q(settlements__isnull=True) | Q(settlements__gte=0))
                    & (Q(drinking_water__isnull=True) | Q(drinking_water__gte=0))
                    & (Q(sanitation__isnull=True) | Q(sanitation__gte=0))
                ),
                name="apbd_sectors_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.regency} · APBD {self.year}"
