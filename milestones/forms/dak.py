"""The DAK readiness forms: the officer's upload, and the Balai's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from milestones.forms.milestones import EvidenceField
from milestones.forms.review import ReviewDecisionForm
from milestones.forms.uploads import UploadLimitsMixin


class DakUploadForm(UploadLimitsMixin, forms.Form):
    documents = EvidenceField(
        label=_("Readiness documents"),
        help_text=_("PDF, JPEG, PNG, DOCX or XLSX; several at once are fine."),
        error_messages={"required": _("Choose at least one readiness document to upload.")},
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DakDecisionForm(ReviewDecisionForm):
    verify_label = _("Verify the documents")
    return_label = _("Return them to the regency")
    comment_help = _("Needed to return the documents: the regency reads it and corrects them.")
    reason_missing = _("Say why they are returned: the regency reads the reason and corrects the documents.")
