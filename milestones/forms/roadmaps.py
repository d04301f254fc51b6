"""Forms for the province's roadmap, its national review, and its policy package documents."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from milestones import evidence
from milestones.forms.documents import ReviewForm
from milestones.forms.uploads import UploadLimitsMixin
from milestones.models import ProvincialPolicy, QualityReview, QualityReviewItem
from milestones.services import Upload
from milestones.services.documents import DOCUMENT_KINDS


def _document_file(form: forms.Form) -> tuple[Upload, evidence.FileKind] | None:
    uploaded = form.cleaned_data.get("file")
    if not uploaded:
        return None
    kind = evidence.identify(uploaded)
    if kind not in DOCUMENT_KINDS:
        raise ValidationError(
            _("%(name)s is not a PDF or Word (DOCX) document.") % {"name": uploaded.name}, code="bad_type"
        )
    return uploaded, kind


class RoadmapForm(UploadLimitsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    period_start = forms.IntegerField(label=_("Period from (year)"), min_value=2000, max_value=2100)
    period_end = forms.IntegerField(label=_("Period to (year)"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=_("Document file"),
        required=False,
        help_text=_("PDF or Word (DOCX). It is needed before the roadmap can be sent to the national Pokja."),
    )

    def clean_file(self):
        return _document_file(self)


class RoadmapReviewForm(ReviewForm):
    """The national Pokja's quality-assurance review of a roadmap: the SSK's chapter checklist, whose
    outcome verifies the roadmap or returns it to the province."""

    outcome_choices = [
        (QualityReview.Outcome.ACCEPTED, _("Accepted: the roadmap is verified")),
        (QualityReview.Outcome.REVISE, _("Revise: the roadmap goes back to the province with the findings")),
    ]
    summary_label = _("Summary for the province (optional; needed for a revision without chapter findings)")
    finding_help = _("Required when the chapter is not adequate: say what the province should fix.")

    def clean(self):
        cleaned = super().clean()
        findings_given = any(
            cleaned.get(f"adequate_{chapter}") is False for chapter in QualityReviewItem.Chapter.values
        )
        if cleaned.get("outcome") == QualityReview.Outcome.REVISE and not findings_given:
            if not (cleaned.get("summary") or "").strip():
                self.add_error("summary", _("Say why it is returned: the province reads the reason."))
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PolicyForm(UploadLimitsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ProvincialPolicy.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=ProvincialPolicy.Status.choices)
    number = forms.CharField(label=_("Instrument number"), max_length=150, required=False)
    enacted_on = forms.DateField(
        label=_("Enacted on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    file = forms.FileField(label=_("Document file"), required=False, help_text=_("PDF or Word (DOCX)."))

    def clean_file(self):
        return _document_file(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ProvincialPolicy.Status.ENACTED:
            if not (cleaned.get("number") or "").strip():
                self.add_error("number", _("An enacted policy document needs its number."))
            if cleaned.get("enacted_on") is None:
                self.add_error("enacted_on", _("An enacted policy document needs its date."))
        return cleaned
