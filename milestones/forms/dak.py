"""The DAK readiness forms: the officer's upload, and the Balai's decision."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from milestones.forms.milestones import EvidenceField
from milestones.forms.uploads import UploadLimitsMixin


class DakUploadForm(UploadLimitsMixin, forms.Form):
    documents = EvidenceField(
        label=_("Readiness documents"),
        help_text=_("PDF, JPEG, PNG, DOCX or XLSX; several at once are fine."),
        error_messages={"required": _("Choose at least one readiness document to upload.")},
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DakDecisionForm(forms.Form):
    VERIFY = "verify"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(VERIFY, _("Verify the documents")), (RETURN, _("Return them to the regency"))],
    )
    comment = forms.CharField(
        label=_("Reason or comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to return the documents: the regency reads it and corrects them."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment", "").strip():
            self.add_error(
                "comment",
                ValidationError(
                    _("Say why they are returned: the regency reads the reason and corrects the documents."),
                    code="required",
                ),
            )
        return cleaned
