"""The form for recording a NAWASIS submission; the service (nawasis_services) checks again and writes."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from milestones.models import NawasisSubmission


class NawasisSubmissionForm(forms.Form):
    module = forms.ChoiceField(label=_("NAWASIS module"), choices=NawasisSubmission.Module.choices)
    submitted_on = forms.DateField(
        label=_("Entered in NAWASIS on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),  # type=date wants ISO dates
    )
    completeness = forms.DecimalField(
        label=_("Completeness shown by NAWASIS (%)"),
        help_text=_("The percentage NAWASIS reports for this module, between 0 and 100 (for example 72,5)."),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        localize=True,  # "72,5" in Indonesian, "72.5" in English
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was uploaded, what is still missing."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"submitted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_submitted_on(self):
        day = self.cleaned_data["submitted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of entry cannot be in the future."), code="future")
        return day
