"""Forms of the service behind M3 and M4: kecamatan names, a service record, the full scale, a monitoring
year's figures. The services (milestones/services/service_records.py) check again and write."""

from decimal import Decimal
from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from milestones.models import (
    FullScaleThreshold,
    MonitoringRecord,
    OperatorKind,
    ServiceKind,
    ServiceRecord,
    ServiceYearFigures,
)
from milestones.services import ActionRefused
from milestones.services.service_records import parse_kecamatan
from regencies.models import Regency

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class KecamatanForm(forms.Form):
    names = forms.CharField(
        label=_("Kecamatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "One kecamatan per line. To rename one and keep the services that cover it, write "
            "“old name -> new name”. A name left out is removed (not one a service covers)."
        ),
    )

    def __init__(self, *args, regency: Regency, **kwargs):
        kwargs.setdefault(
            "initial", {"names": "\n".join(regency.kecamatan.order_by("name").values_list("name", flat=True))}
        )
        super().__init__(*args, **kwargs)

    def clean_names(self):
        text = self.cleaned_data["names"]
        try:
            parse_kecamatan(text)
        except ActionRefused as refused:
            raise forms.ValidationError(refused.message, code="invalid") from None
        return text


def _volume_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Volume treated per year"),
        help_text=_("m³ of sludge or wastewater for a wastewater service, tonnes for solid waste."),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=1,
        localize=True,
        initial=Decimal(0),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _kecamatan_field(regency: Regency) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Kecamatan covered"),
        queryset=regency.kecamatan.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the regency's kecamatan entered by the province are listed."),
    )


class ServiceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    service_model = forms.CharField(
        label=_("Service model"),
        max_length=300,
        help_text=_("How the service works, for example: desludging every three years, IPLT at Tamiang Layang."),
    )
    operator_kind = forms.ChoiceField(label=_("Operator"), choices=OperatorKind.choices, widget=forms.RadioSelect)
    operator_name = forms.CharField(label=_("Operator name"), max_length=200, required=False)
    instrument_kind = forms.CharField(
        label=_("Legal instrument"), max_length=100, required=False, help_text=_("For example: Perbup, SK Bupati.")
    )
    instrument_number = forms.CharField(label=_("Instrument number"), max_length=100, required=False)
    instrument_date = forms.DateField(label=_("Instrument date"), required=False, widget=_DATE)
    households_served = forms.IntegerField(label=_("Households served"), min_value=0, initial=0)
    tariff_in_place = forms.BooleanField(label=_("A tariff is in place"), required=False)
    tariff_note = forms.CharField(
        label=_("Tariff note"), max_length=300, required=False, help_text=_("For example: Rp 350.000 per desludging.")
    )

    FIELDS = (
        "kind",
        "service_model",
        "operator_kind",
        "operator_name",
        "instrument_kind",
        "instrument_number",
        "instrument_date",
        "kecamatan",
        "households_served",
        "volume_per_year",
        "tariff_in_place",
        "tariff_note",
    )

    def __init__(self, *args, regency: Regency, record: ServiceRecord | None = None, **kwargs):
        if record is not None:
            initial = {name: getattr(record, name) for name in self.FIELDS if name != "kecamatan"}
            initial["kecamatan"] = list(record.kecamatan.values_list("pk", flat=True))
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"] = _kecamatan_field(regency)
        self.fields["volume_per_year"] = _volume_field()
        self.order_fields(self.FIELDS)
        if record is not None:
            self.fields["kind"].disabled = True

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ThresholdForm(forms.Form):
    kecamatan_percent = forms.IntegerField(
        label=_("Kecamatan covered (% of all)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("The share of the regency's kecamatan the service must cover to count as full scale."),
    )
    households = forms.IntegerField(
        label=_("Households served"),
        min_value=1,
        required=False,
        help_text=_("The households the service must serve to count as full scale."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, threshold: FullScaleThreshold | None = None, **kwargs):
        if threshold is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kecamatan_percent": threshold.kecamatan_percent,
                    "households": threshold.households,
                    "note": threshold.note,
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kecamatan_percent") is None and cleaned.get("households") is None and not self.errors:
            raise forms.ValidationError(gettext("Set a share of kecamatan, a number of households, or both."))
        return cleaned


class YearFiguresForm(forms.Form):
    monitoring = forms.ModelChoiceField(
        label=_("Monitoring year"), queryset=MonitoringRecord.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    households_served = forms.IntegerField(label=_("Households served"), min_value=0, initial=0)

    FIELDS = ("monitoring", "kind", "kecamatan", "households_served", "volume_per_year")

    def __init__(self, *args, regency: Regency, figures: ServiceYearFigures | None = None, **kwargs):
        if figures is not None:
            kwargs.setdefault(
                "initial",
                {
                    "monitoring": figures.monitoring_id,
                    "kind": figures.kind,
                    "kecamatan": list(figures.kecamatan.values_list("pk", flat=True)),
                    "households_served": figures.households_served,
                    "volume_per_year": figures.volume_per_year,
                },
            )
        super().__init__(*args, **kwargs)
        monitoring = cast(forms.ModelChoiceField, self.fields["monitoring"])
        monitoring.queryset = regency_monitoring(regency)
        monitoring.label_from_instance = _monitoring_label  # type: ignore[method-assign,assignment]
        self.fields["kecamatan"] = _kecamatan_field(regency)
        self.fields["volume_per_year"] = _volume_field()
        self.order_fields(self.FIELDS)
        if figures is not None:
            self.fields["monitoring"].disabled = True
            self.fields["kind"].disabled = True

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


def _monitoring_label(record: MonitoringRecord) -> str:
    return gettext("Year %(n)s (%(year)s)") % {"n": record.year_index, "year": record.year}


def regency_monitoring(regency: Regency) -> QuerySet[MonitoringRecord]:
    return MonitoringRecord.objects.filter(cohort__regency=regency).order_by("-year", "-year_index")
