"""Forms for SSK documents and their quality assurance, policy packages and yearly monitoring.

The forms say what is wrong next to the field; the services (document_services) check again and
write. Document files are judged by their content (``evidence.identify``): a PDF or a DOCX only.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from milestones import evidence
from milestones.forms.uploads import UploadLimitsMixin
from milestones.models import MonitoringRecord, PolicyItem, PolicyPackage, QualityReview, QualityReviewItem, SSKDocument
from milestones.services.documents import DOCUMENT_KINDS, ChapterFinding, PolicyItemInput, monitoring_year

YEAR_LIMITS = {"min_value": 2000, "max_value": 2100}


def cohort_label(cohort) -> str:
    return gettext("M1–M3 %(first)s, M4 %(second)s") % {"first": cohort.year_m1_m3, "second": cohort.year_m4}


def _date_input():
    # type=date wants ISO dates whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocumentForm(UploadLimitsMixin, forms.Form):
    period_start = forms.IntegerField(
        label=_("Period from (year)"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **YEAR_LIMITS
    )
    period_end = forms.IntegerField(
        label=_("Period to (year)"),
        help_text=_("An SSK usually covers five years, for example 2022–2026."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **YEAR_LIMITS,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SSKDocument.Kind.choices, widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("Document file"),
        required=False,
        help_text=_("PDF or Word (DOCX). It is needed before the document can be sent to quality assurance."),
    )

    def __init__(self, *args, regency, document=None, **kwargs):
        self.regency, self.document = regency, document
        if document is not None:
            kwargs.setdefault(
                "initial",
                {"period_start": document.period_start, "period_end": document.period_end, "kind": document.kind},
            )
        super().__init__(*args, **kwargs)
        if document is not None and document.file_id:
            self.fields["file"].help_text = _("Leave empty to keep %(name)s; choose a file to replace it.") % {
                "name": document.file_name
            }

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not uploaded:
            return None
        kind = evidence.identify(uploaded)
        if kind not in DOCUMENT_KINDS:
            raise ValidationError(
                _("%(name)s is not a PDF or Word (DOCX) document.") % {"name": uploaded.name}, code="bad_type"
            )
        return uploaded, kind

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start is not None and end is not None:
            if end <= start:
                self.add_error("period_end", _("The period must end after it starts (for example 2022–2026)."))
            else:
                taken = SSKDocument.objects.filter(regency=self.regency, period_start=start)
                if self.document is not None:
                    taken = taken.exclude(pk=self.document.pk)
                if taken.exists():
                    self.add_error(
                        "period_start",
                        _("This regency already has an SSK document starting in %(year)s.") % {"year": start},
                    )
        if self.errors and cleaned.get("file"):
            # The browser cannot keep a chosen file across a reload; say so next to the file field.
            self.add_error("file", _("Your other entries are kept; choose the file again."))
        return cleaned


def _yes_no(value) -> bool:
    return value == "yes"


class ReviewForm(forms.Form):
    """The quality-assurance checklist: every chapter adequate or not, with a finding, then an outcome.

    The SSK document's by default; a subclass names what the outcome does and who reads the findings
    for another strategy document with the same chapters (the provincial roadmap's)."""

    outcome_choices = [
        (QualityReview.Outcome.ACCEPTED, _("Accepted: the document becomes final")),
        (QualityReview.Outcome.REVISE, _("Revise: the document goes back to the regency as a draft")),
    ]
    summary_label = _("Summary for the regency (optional)")
    finding_help = _("Required when the chapter is not adequate: say what the regency should fix.")

    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = self.outcome_choices
        self.fields["summary"].label = self.summary_label
        for chapter, label in QualityReviewItem.Chapter.choices:
            self.fields[f"adequate_{chapter}"] = forms.TypedChoiceField(
                label=label,
                choices=[("yes", _("Adequate")), ("no", _("Not adequate"))],
                coerce=_yes_no,
                widget=forms.RadioSelect,
                error_messages={"required": _("Say whether this chapter is adequate.")},
            )
            self.fields[f"finding_{chapter}"] = forms.CharField(
                label=_("Finding"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=self.finding_help,
            )
        # Chapters first, outcome last: the order a reviewer works in.
        self.order_fields([name for name in self.fields if name not in ("outcome", "summary")] + ["outcome", "summary"])

    def chapters(self):
        """(label, adequate field, finding field) for each chapter, for the template."""
        return [
            (label, self[f"adequate_{chapter}"], self[f"finding_{chapter}"])
            for chapter, label in QualityReviewItem.Chapter.choices
        ]

    def clean(self):
        cleaned = super().clean()
        any_inadequate = False
        for chapter in QualityReviewItem.Chapter.values:
            adequate = cleaned.get(f"adequate_{chapter}")
            if adequate is False:
                any_inadequate = True
                if not cleaned.get(f"finding_{chapter}", "").strip():
                    self.add_error(f"finding_{chapter}", _("Write what is lacking in this chapter."))
        if any_inadequate and cleaned.get("outcome") == QualityReview.Outcome.ACCEPTED:
            self.add_error(
                "outcome", _("A document with an inadequate chapter cannot be accepted; ask for a revision.")
            )
        return cleaned

    def findings(self) -> list[ChapterFinding]:
        return [
            ChapterFinding(
                chapter=chapter,
                adequate=self.cleaned_data[f"adequate_{chapter}"],
                finding=self.cleaned_data.get(f"finding_{chapter}", ""),
            )
            for chapter in QualityReviewItem.Chapter.values
        ]


class EnactForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Legal instrument"), choices=SSKDocument.Instrument.choices, widget=forms.RadioSelect
    )
    instrument_number = forms.CharField(  # stripped: a blank number is a missing one
        label=_("Number"),
        max_length=150,
        help_text=_("As written on the instrument, e.g. 12 Tahun 2022."),
        error_messages={"required": _("Give the instrument's number.")},
    )
    instrument_date = forms.DateField(label=_("Date of enactment"), widget=_date_input())

    def clean_instrument_date(self):
        value = self.cleaned_data["instrument_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The enactment date cannot be in the future."), code="future")
        return value


class PolicyPackageForm(forms.ModelForm):
    class Meta:
        model = PolicyPackage
        fields = ["title", "status", "committed_on", "cohort", "notes"]
        widgets = {"committed_on": _date_input(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"committed_on": _("Required once the regional head has committed.")}
        labels = {"title": _("Title of the package")}

    def __init__(self, *args, regency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = regency.cohorts.order_by("-year_m1_m3")
        self.fields["cohort"].required = False
        self.fields["cohort"].empty_label = _("No cohort")
        self.fields["cohort"].label_from_instance = cohort_label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == PolicyPackage.Status.COMMITTED and not cleaned.get("committed_on"):
            self.add_error("committed_on", _("Give the date the regional head committed to the package."))
        return cleaned


class PolicyItemForm(forms.ModelForm):
    class Meta:
        model = PolicyItem
        fields = ["kind", "description", "legal_instrument", "status"]


PolicyItemFormSet = forms.inlineformset_factory(
    PolicyPackage,
    PolicyItem,
    form=PolicyItemForm,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=50,
    validate_max=True,
)


def new_item_formset(data=None, *, package=None):
    """The items formset; a new package starts with one empty row per kind of item."""
    if package is None:
        formset_class = forms.inlineformset_factory(
            PolicyPackage,
            PolicyItem,
            form=PolicyItemForm,
            extra=len(PolicyItem.Kind.values),
            can_delete=True,
            can_delete_extra=False,
            max_num=50,
            validate_max=True,
        )
        initial = [{"kind": kind} for kind in PolicyItem.Kind.values]
        return formset_class(data, instance=PolicyPackage(), prefix="items", initial=initial)
    return PolicyItemFormSet(data, instance=package, prefix="items")


def item_inputs(formset) -> list[PolicyItemInput]:
    """The formset's rows as plain inputs for the service (empty extra rows are skipped)."""
    inputs = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        existing = data.get("id")
        inputs.append(
            PolicyItemInput(
                kind=data["kind"],
                description=data["description"],
                legal_instrument=data.get("legal_instrument", ""),
                status=data["status"],
                pk=existing.pk if existing else None,
                delete=bool(data.get("DELETE")),
            )
        )
    return inputs


class MonitoringForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=None, empty_label=None)
    year_index = forms.TypedChoiceField(
        label=_("Year of implementation"),
        coerce=int,
        help_text=_("Year 1 is the cohort's M1–M3 year; monitoring runs from year 2 to year 5."),
    )
    assessment = forms.ChoiceField(
        label=_("Assessment"), choices=MonitoringRecord.Assessment.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Results and timing against plan, and what the regency should do next."),
    )

    def __init__(self, *args, regency, record=None, **kwargs):
        self.record = record
        if record is not None:
            kwargs.setdefault(
                "initial",
                {
                    "cohort": record.cohort_id,
                    "year_index": record.year_index,
                    "assessment": record.assessment,
                    "summary": record.summary,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["year_index"].choices = [(n, gettext("Year %(n)s") % {"n": n}) for n in range(2, 6)]
        self.fields["cohort"].queryset = regency.cohorts.order_by("-year_m1_m3")
        self.fields["cohort"].label_from_instance = cohort_label
        if record is not None:
            self.fields["cohort"].disabled = True

    def clean(self):
        cleaned = super().clean()
        cohort, year_index = cleaned.get("cohort"), cleaned.get("year_index")
        if cohort is None or year_index is None:
            return cleaned
        year = monitoring_year(cohort, year_index)
        if year > timezone.localdate().year:
            self.add_error(
                "year_index",
                _("Year %(n)s of this cohort is %(year)s, which has not begun yet.") % {"n": year_index, "year": year},
            )
            return cleaned
        taken = MonitoringRecord.objects.filter(cohort=cohort, year_index=year_index)
        if self.record is not None:
            taken = taken.exclude(pk=self.record.pk)
        if taken.exists():
            self.add_error(
                "year_index",
                _("Year %(n)s of this cohort is already recorded; open that record to change it.") % {"n": year_index},
            )
        return cleaned
