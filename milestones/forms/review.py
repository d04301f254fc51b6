"""The decision on a record of the shared review workflow (``services.review``): verify it, or return it
with a reason. One form; each kind of record words its choices and its missing-reason message."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class ReviewDecisionForm(forms.Form):
    VERIFY = "verify"
    RETURN = "return"
    # What each kind of record says (class attributes, lazily translated).
    verify_label: StrOrPromise = _("Verify")
    return_label: StrOrPromise = _("Return")
    comment_help: StrOrPromise = ""
    reason_missing: StrOrPromise = _("Say why it is returned: the submitter reads the reason and corrects the record.")

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Reason or comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(self.VERIFY, self.verify_label), (self.RETURN, self.return_label)]  # type: ignore[attr-defined]
        self.fields["comment"].help_text = self.comment_help

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == self.RETURN and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", ValidationError(str(self.reason_missing), code="required"))
        return cleaned

    @property
    def verifies(self) -> bool:
        """True when the (valid) form verifies the record, False when it returns it."""
        return self.cleaned_data["decision"] == self.VERIFY
