"""What a regency entered in NAWASIS, and the province's verification."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regencies.models import Regency


class NawasisSubmission(models.Model):
    """What a regency entered in NAWASIS (which publishes no import format), and the province's check."""

    class Module(models.TextChoices):
        SSK = "ssk", "SSK"
        WASTEWATER = "wastewater", _("Domestic wastewater")
        SOLID_WASTE = "solid_waste", _("Solid waste")
        REGIONAL_PROFILE = "profile", _("Regional profile")
        EHRA = "ehra", _("EHRA report")
        INVESTMENT = "investment", _("Investment")
        FULL_SCALE = "full_scale", _("Evidence of full-scale service")

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="nawasis_submissions", verbose_name=_("regency")
    )
    module = models.CharField(_("module"), max_length=12, choices=Module.choices)
    submitted_on = models.DateField(_("entered on"))
    completeness = models.DecimalField(
        _("completeness reported by NAWASIS (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["regency", "-submitted_on", "module"]
        verbose_name = _("NAWASIS submission")
        verbose_name_plural = _("NAWASIS submissions")
        constraints = [
            models.CheckConstraint(
                condition=Q(completeness__gte=0, completeness__lte=100), name="nawasis_completeness_0_100"
            ),
        ]
        # "The latest per regency and module" (figures.latest_submissions) looks up the newest entry of each:
        # one index step instead of sorting the regency's entries, for every row of a province's table.
        indexes = [models.Index(fields=["regency", "module", "-submitted_on", "-id"], name="nawasis_latest_per_module")]

    def __str__(self):
        return f"{self.regency} · {self.get_module_display()} · {self.submitted_on}"
