"""Forms for programme activities (with their planning-document rows and budget lines), APBD totals and
the spreadsheet upload.

Amounts are typed as rupiah the Indonesian way ("1.250.000" or "1.250.000,50"); the same reader as
the spreadsheet upload (``ssk_tracker.lib.amounts.parse_amount``) turns them into exact Decimals.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from milestones.forms import planning_upload
from milestones.forms.planning_workbook import XLSX_CONTENT_TYPE, YEAR_MAX, YEAR_MIN, clean_text
from milestones.forms.uploads import UploadLimitsMixin
from milestones.models import BudgetLine, PlanningDocument, PlanningIntegration, ProgrammeActivity, RegionalBudget
from milestones.models.planning import Subsector
from milestones.services.planning import BudgetLineInput, IntegrationInput, RegionalBudgetInput
from ssk_tracker.lib.amounts import ZERO, ValueProblem, format_amount, parse_amount

YEAR_LIMITS = {"min_value": YEAR_MIN, "max_value": YEAR_MAX}


def _year_field(label=None, **kwargs):
    return forms.IntegerField(
        label=label or _("Year"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **YEAR_LIMITS, **kwargs
    )


class AmountField(forms.Field):
    """Rupiah typed as 1250000, 1.250.000 or 1.250.000,50 → Decimal with two places."""

    default_error_messages = {
        "not_number": _("Write an amount in rupiah, for example 1.250.000 or 1.250.000,50."),
        "negative": _("Amounts cannot be negative."),
        "too_large": _("This amount is too large."),
    }

    def __init__(self, *, blank_value=None, **kwargs):
        self.blank_value = blank_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return self.blank_value
        try:
            parsed = parse_amount(value)
        except ValueProblem as problem:
            raise ValidationError(self.error_messages[problem.code], code=problem.code) from None
        return self.blank_value if parsed is None else parsed

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_amount(value)
        return value

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


# --- An activity with its rows -------------------------------------------------------------------


class ActivityForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        help_text=_("The activity's code in the SSK, e.g. AL-01; unique in the regency."),
    )
    subsector = forms.ChoiceField(label=_("Subsector"), choices=Subsector.choices)
    name = forms.CharField(label=_("Activity"), max_length=400, widget=forms.Textarea(attrs={"rows": 2}))
    agency = forms.CharField(label=_("Responsible agency (OPD)"), max_length=200)
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    year_start = _year_field(_("From year"))
    year_end = _year_field(_("To year"))

    def __init__(self, *args, regency, activity=None, **kwargs):
        self.regency, self.activity = regency, activity
        if activity is not None:
            kwargs.setdefault("initial", {name: getattr(activity, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = clean_text(self.cleaned_data["code"])
        taken = ProgrammeActivity.objects.filter(regency=self.regency, code=code)
        if self.activity is not None:
            taken = taken.exclude(pk=self.activity.pk)
        if taken.exists():
            raise ValidationError(
                _("The code %(code)s is already used by another activity of this regency.") % {"code": code},
                code="taken",
            )
        return code

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_start"), cleaned.get("year_end")
        if start is not None and end is not None and end < start:
            self.add_error("year_end", _("The activity cannot end before it starts."))
        return cleaned


class IntegrationForm(forms.ModelForm):
    year = _year_field()
    amount = AmountField(label=_("Amount (pagu)"), required=False)

    class Meta:
        model = PlanningIntegration
        fields = ["document", "year", "included", "nomenclature", "amount"]
        labels = {"included": _("Included in the document")}


class BudgetLineForm(forms.ModelForm):
    year = _year_field()
    indicative = AmountField(label=_("Indicative (SSK)"), required=False, blank_value=ZERO)
    allocated = AmountField(label=_("Allocated"), required=False, blank_value=ZERO)
    realised = AmountField(label=_("Realised"), required=False, blank_value=ZERO)

    class Meta:
        model = BudgetLine
        fields = ["year", "source", "indicative", "allocated", "realised"]


class _NoRepeatsMixin:
    """Refuse two rows with the same key (e.g. the same document and year) in one formset."""

    repeat_key: tuple[str, ...] = ()
    repeat_message = ""

    def validate_unique(self):
        """Replaced by clean(), which says which row repeats which, next to the field."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            key = tuple(data.get(name) for name in self.repeat_key)
            if None in key:
                continue
            if key in seen:
                form.add_error(self.repeat_key[-1], self.repeat_message)
            seen.add(key)


class IntegrationFormSetBase(_NoRepeatsMixin, forms.BaseInlineFormSet):
    repeat_key = ("document", "year")
    repeat_message = _("This planning document already has a row for this year.")


class BudgetLineFormSetBase(_NoRepeatsMixin, forms.BaseInlineFormSet):
    repeat_key = ("year", "source")
    repeat_message = _("This funding source already has a row for this year.")


def _inline(model, form, formset, extra):
    return forms.inlineformset_factory(
        ProgrammeActivity,
        model,
        form=form,
        formset=formset,
        extra=extra,
        can_delete=True,
        can_delete_extra=False,
        max_num=200,
        validate_max=True,
    )


def integration_formset(data=None, *, activity=None):
    """The planning-document rows; a new activity starts with one empty row per document."""
    if activity is None:
        documents = PlanningDocument.values
        formset_class = _inline(PlanningIntegration, IntegrationForm, IntegrationFormSetBase, len(documents))
        initial = [{"document": document} for document in documents]
        return formset_class(data, instance=ProgrammeActivity(), prefix="integrations", initial=initial)
    formset_class = _inline(PlanningIntegration, IntegrationForm, IntegrationFormSetBase, 2)
    return formset_class(data, instance=activity, prefix="integrations")


def budget_formset(data=None, *, activity=None):
    formset_class = _inline(BudgetLine, BudgetLineForm, BudgetLineFormSetBase, 3 if activity is None else 2)
    return formset_class(data, instance=activity or ProgrammeActivity(), prefix="budget")


def _rows(formset):
    """(cleaned data, pk, delete) of each filled-in row. A row ticked for deletion is not validated, so its
    data may lack a required field (the user cleared it before ticking): read it with ``.get()``; the
    services only use the pk of a deleted row."""
    for form in formset.forms:
        data = form.cleaned_data
        if data:
            existing = data.get("id")
            yield data, (existing.pk if existing else None), bool(data.get("DELETE"))


def integration_inputs(formset) -> list[IntegrationInput]:
    return [
        IntegrationInput(
            document=data.get("document"),
            year=data.get("year"),
            included=bool(data.get("included")),
            nomenclature=data.get("nomenclature", ""),
            amount=data.get("amount"),
            pk=pk,
            delete=delete,
        )
        for data, pk, delete in _rows(formset)
    ]


def budget_inputs(formset) -> list[BudgetLineInput]:
    return [
        BudgetLineInput(
            year=data.get("year"),
            source=data.get("source"),
            indicative=data.get("indicative") or ZERO,
            allocated=data.get("allocated") or ZERO,
            realised=data.get("realised") or ZERO,
            pk=pk,
            delete=delete,
        )
        for data, pk, delete in _rows(formset)
    ]


# --- APBD totals ---------------------------------------------------------------------------------


class RegionalBudgetForm(forms.ModelForm):
    year = _year_field()
    total_apbd = AmountField(label=_("Total APBD"), help_text=_("The regency's whole APBD (expenditure) for the year."))

    housing = AmountField(label=_("Housing (perumahan)"), required=False)
    settlements = AmountField(label=_("Settlements (kawasan permukiman)"), required=False)
    drinking_water = AmountField(label=_("Drinking water (air minum)"), required=False)
    sanitation = AmountField(label=_("Sanitation (sanitasi)"), required=False)

    class Meta:
        model = RegionalBudget
        fields = ["year", "total_apbd", *RegionalBudget.SECTORS]

    def clean_total_apbd(self):
        total = self.cleaned_data["total_apbd"]
        if total is not None and total <= 0:
            raise ValidationError(_("The total APBD must be more than zero."), code="not_positive")
        return total

    def clean(self):
        cleaned = super().clean()
        for name in RegionalBudget.SECTORS:
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, ValidationError(_("A sector total cannot be negative."), code="negative"))
        total = cleaned.get("total_apbd")
        sectors = sum((cleaned.get(name) or 0) for name in RegionalBudget.SECTORS)
        if total is not None and sectors > total:
            self.add_error(
                None,
                ValidationError(
                    _("The four sector totals together exceed the total APBD of the year."), code="sectors_exceed"
                ),
            )
        return cleaned


class RegionalBudgetFormSetBase(_NoRepeatsMixin, forms.BaseModelFormSet):
    repeat_key = ("year",)
    repeat_message = _("This year already has an APBD total.")


RegionalBudgetFormSet = forms.modelformset_factory(
    RegionalBudget,
    form=RegionalBudgetForm,
    formset=RegionalBudgetFormSetBase,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=100,
    validate_max=True,
)


def regional_budget_formset(data=None, *, regency):
    return RegionalBudgetFormSet(
        data, queryset=RegionalBudget.objects.filter(regency=regency).order_by("year"), prefix="apbd"
    )


def regional_budget_inputs(formset) -> list[RegionalBudgetInput]:
    return [
        RegionalBudgetInput(
            year=data.get("year"),
            total_apbd=data.get("total_apbd"),
            pk=pk,
            delete=delete,
            sectors={name: data.get(name) for name in RegionalBudget.SECTORS},
        )
        for data, pk, delete in _rows(formset)
    ]


# --- The spreadsheet upload ----------------------------------------------------------------------


class WorkbookUploadForm(UploadLimitsMixin, forms.Form):
    file = forms.FileField(
        label=_("Filled-in workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_CONTENT_TYPE}),
    )

    def __init__(self, *args, regency, **kwargs):
        self.regency = regency
        self.raw = None
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "The workbook downloaded from this page, filled in. Largest file: %(limit)s MB."
        ) % {"limit": settings.SPREADSHEET_MAX_BYTES // (1024 * 1024)}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.raw = planning_upload.read_upload(uploaded, regency=self.regency)
        except planning_upload.FileRefused as refused:
            raise ValidationError(refused.messages, code="refused") from None
        return uploaded
