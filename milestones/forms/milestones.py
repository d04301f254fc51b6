from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from milestones import evidence
from milestones.forms.uploads import UploadLimitsMixin
from milestones.models import EvidenceRequirement, EvidenceVerdict, MilestoneUpdate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once; each is judged by its content and every rejected one is named."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        errors, accepted = [], []
        for uploaded in files:
            try:
                accepted.append((uploaded, evidence.identify(uploaded)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return accepted


class UpdateForm(UploadLimitsMixin, forms.ModelForm):
    files = EvidenceField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, JPEG, PNG, DOCX or XLSX; several at once are fine."),
    )

    class Meta:
        model = MilestoneUpdate
        fields = ["progress", "narrative", "obstacles", "next_steps", "requirements_met"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "obstacles": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "requirements_met": forms.CheckboxSelectMultiple,
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
        }
        help_texts = {"progress": _("How far the milestone has come, 0–100.")}

    def __init__(self, *args, milestone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirements_met"].queryset = EvidenceRequirement.objects.filter(
            definition=milestone.definition_id
        )
        self.fields["requirements_met"].label = _("Which required evidence does this update provide?")

    def draft_fields(self) -> dict:
        """The cleaned entries as ``services.save_draft`` takes them (the page and the API save the same)."""
        data = self.cleaned_data
        return {
            "progress": data["progress"],
            "narrative": data["narrative"],
            "obstacles": data["obstacles"],
            "next_steps": data["next_steps"],
            "requirements": data["requirements_met"],
            "files": data["files"],
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors.get("files") and not self.has_error("files", code="required"):
            # The browser cannot keep chosen files across a reload; say so next to the file errors.
            self.add_error("files", _("Your other entries are kept; choose the files again."))
        return cleaned


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The officer sees this reason and revises the update."),
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    progress = forms.IntegerField(
        label=_("Progress after reopening (%)"),
        min_value=0,
        max_value=99,
        help_text=_("Where the milestone really stands now, 0–99."),
        widget=forms.NumberInput(attrs={"min": 0, "max": 99, "step": 1, "inputmode": "numeric"}),
    )
    reason = forms.CharField(label=_("Why reopen this verified milestone?"), widget=forms.Textarea(attrs={"rows": 2}))


class JudgeForm(forms.Form):
    """The reviewer's verdict on one required evidence item of the update (one small form per item)."""

    requirement = forms.ModelChoiceField(queryset=EvidenceRequirement.objects.none())
    verdict = forms.ChoiceField(choices=EvidenceVerdict.Verdict.choices)
    note = forms.CharField(label=_("Note for the officer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, update, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = EvidenceRequirement.objects.filter(
            definition=update.milestone.definition_id
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("verdict") == EvidenceVerdict.Verdict.REJECTED and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why the evidence is rejected: the officer needs the note to provide it."))
        return cleaned


class PlanForm(forms.Form):
    planned_date = forms.DateField(label=_("Planned date"), widget=forms.DateInput(attrs={"type": "date"}))
    comment = forms.CharField(label=_("Comment (optional)"), required=False)


class ReviewFilterForm(forms.Form):
    milestone = forms.TypedChoiceField(
        label=_("Milestone"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All milestones"))] + [(n, f"M{n}") for n in range(1, 5)],
    )
    # A province code (``?province=35``) from the queue's table of provinces; the scope still applies.
    province = forms.RegexField(regex=r"^\d{2}$", required=False, widget=forms.HiddenInput)
