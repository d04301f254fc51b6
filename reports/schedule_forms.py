from __future__ import annotations  # the fields' generic annotations are for mypy only

from django import forms
from django.utils.translation import gettext_lazy as _

from regencies import scoping
from regencies.models import Balai, Province, Regency
from reports.forms import MISSING_SCOPE, BootstrapWidgets
from reports.models import Audience, Language, split_recipients, validate_recipients
from reports.region_fields import RegionChoiceField

MAX_RECIPIENTS = 20


class ScheduleForm(BootstrapWidgets, forms.Form):
    """A new report schedule, its audience and scope limited to what the user may schedule
    (``scoping.schedule_choices``); the service checks the scope again."""

    name = forms.CharField(label=_("Name"), max_length=200)
    audience = forms.ChoiceField(label=_("Report for"), choices=Audience.choices)
    province: forms.ModelChoiceField[Province] = RegionChoiceField(label=_("Province"), queryset=None, required=False)
    balai: forms.ModelChoiceField[Balai] = RegionChoiceField(label=_("Balai"), queryset=None, required=False)
    regency: forms.ModelChoiceField[Regency] = RegionChoiceField(
        label=_("Regency"), queryset=None, required=False, group_by="province__name"
    )
    day_of_month = forms.TypedChoiceField(
        label=_("Day of the month"),
        coerce=int,
        choices=[(day, day) for day in range(1, 29)],
        help_text=_("1–28, so that every month has it."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.INDONESIAN)
    recipients = forms.CharField(
        label=_("Recipients"),
        widget=forms.Textarea(attrs={"rows": 3, "inputmode": "email", "autocapitalize": "off"}),
        help_text=_("E-mail addresses, one per line or separated by commas. They get a link to each report."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = scoping.schedule_choices(user)
        self.every_region = choices.every_region
        self.fields["audience"].choices = [(v, label) for v, label in Audience.choices if v in choices.audiences]
        self.fields["province"].queryset = choices.provinces
        self.fields["balai"].queryset = choices.balai
        self.fields["regency"].queryset = choices.regencies
        for name in ("province", "balai", "regency"):
            self.fields[name].empty_label = _("— choose —")
        if choices.every_region:
            self.fields["province"].empty_label = _("Every province")
            self.fields["balai"].empty_label = _("Every Balai")
        for name, queryset in (("province", choices.provinces), ("regency", choices.regencies)):
            first_two = list(queryset[:2])
            if len(first_two) == 1:  # a province's Pokja, a regency's coordinator: their own, preselected
                self.fields[name].initial = first_two[0].pk
        self.fields["recipients"].initial = user.email
        self.fields["name"].initial = _("Monthly progress report")

    def clean_recipients(self) -> list[str]:
        text = self.cleaned_data["recipients"]
        validate_recipients(text)
        seen: dict[str, str] = {}
        for address in split_recipients(text):
            seen.setdefault(address.lower(), address)  # the same address twice gets one e-mail
        addresses = list(seen.values())
        if len(addresses) > MAX_RECIPIENTS:
            raise forms.ValidationError(
                _("At most %(count)d recipients per schedule."), params={"count": MAX_RECIPIENTS}
            )
        return addresses

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        needed = {"provincial": "province", "balai": "balai", "regency": "regency"}.get(audience)
        # Empty province or Balai: every one of them, which only a nation-wide coordinator may choose.
        may_be_empty = self.every_region and needed in ("province", "balai")
        if needed and not cleaned.get(needed) and not may_be_empty:
            self.add_error(needed, MISSING_SCOPE[needed])
        for other in ("province", "balai", "regency"):
            if other != needed:
                cleaned[other] = None
        return cleaned
