"""Forms of the outcome indicators: a regency's baseline with its targets by year, and a year's actual.
Errors in the user's language; the services (milestones/services/indicators.py) check again and write."""

from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from milestones.forms.review import ReviewDecisionForm
from milestones.models import IndicatorActual, RegencyIndicator


def percent_field(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        error_messages={
            "required": _("Enter a percentage."),
            "invalid": _("Enter a number, for example 72.5."),
            "min_value": _("A percentage is between 0 and 100."),
            "max_value": _("A percentage is between 0 and 100."),
            "max_digits": _("A percentage is between 0 and 100."),
            "max_decimal_places": _("Use at most two decimal places."),
        },
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
    )


def _outside(year: int, start: int, end: int) -> forms.ValidationError:
    return forms.ValidationError(
        gettext("The year %(year)s is outside the SSK period %(start)s–%(end)s.")
        % {"year": year, "start": start, "end": end}
    )


class IndicatorForm(forms.Form):
    """The baseline (year, value, source) and one optional target per year of the SSK period."""

    baseline_year = forms.IntegerField(
        label=_("Baseline year"), error_messages={"required": _("Enter the baseline year.")}
    )
    baseline_source = forms.CharField(label=_("Source of the baseline"), max_length=300, required=False)

    def __init__(self, *args, period: tuple[int, int], indicator: RegencyIndicator | None, **kwargs):
        self.period = period
        self.years = list(range(period[0], period[1] + 1))
        if indicator is not None:
            initial = {
                "baseline_year": indicator.baseline_year,
                "baseline_value": indicator.baseline_value,
                "baseline_source": indicator.baseline_source,
            }
            initial |= {f"target_{t.year}": t.value for t in indicator.targets.all()}
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["baseline_value"] = percent_field(gettext("Baseline value (%)"))
        self.order_fields(["baseline_year", "baseline_value", "baseline_source"])
        for year in self.years:
            self.fields[f"target_{year}"] = percent_field(
                gettext("Target %(year)s (%%)") % {"year": year}, required=False
            )

    def clean_baseline_year(self) -> int:
        year = self.cleaned_data["baseline_year"]
        start = self.period[0] - 5
        if not (start <= year <= self.period[1]):
            raise _outside(year, start, self.period[1])
        return year

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "baseline_year": data["baseline_year"],
            "baseline_value": data["baseline_value"],
            "baseline_source": data["baseline_source"],
            "targets": {year: data.get(f"target_{year}") for year in self.years},
        }


class ActualForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("For example: Susenas 2024, EHRA, STBM."),
        error_messages={"required": _("Name the source of the value (for example Susenas, EHRA, STBM).")},
    )

    def __init__(
        self,
        *args,
        period: tuple[int, int],
        indicator: RegencyIndicator | None,
        actual: IndicatorActual | None = None,
        **kwargs,
    ):
        self.indicator, self.actual = indicator, actual
        if actual is not None:
            kwargs.setdefault("initial", {"year": actual.year, "value": actual.value, "source": actual.source})
        super().__init__(*args, **kwargs)
        year_field = cast(forms.TypedChoiceField, self.fields["year"])
        year_field.choices = [(y, str(y)) for y in range(period[0], period[1] + 1)]
        self.fields["year"].error_messages["invalid_choice"] = _("Choose a year of the SSK period.")
        self.fields["value"] = percent_field(gettext("Value (%)"))
        self.order_fields(["year", "value", "source"])

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if self.indicator is not None:
            clash = IndicatorActual.objects.filter(indicator=self.indicator, year=year)
            if self.actual is not None:
                clash = clash.exclude(pk=self.actual.pk)
            if clash.exists():
                raise forms.ValidationError(
                    gettext("An actual for %(year)s is already recorded: there is one actual per year.")
                    % {"year": year}
                )
        return year


class DecisionForm(ReviewDecisionForm):
    """The province's decision on a submitted actual (the shared wording of ``ReviewDecisionForm``)."""
