"""Forms for the province's roadmap, its national review, and its policy package documents."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from milestones import evidence
from milestones.forms.uploads import UploadLimitsMixin
from milestones.models import ProvincialPolicy
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


class RoadmapDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verify")), ("return", _("Return to the province"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Comment or reason for return"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why it is returned: the province reads the reason."))
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
