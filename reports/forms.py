import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from milestones import evidence
from milestones.models import FollowUpAction
from regencies import scoping
from regencies.models import Province
from reports.models import Audience, Language
from reports.region_fields import PlainDateInput, RegionChoiceField, RegionSelect
from reports.verification import HashedUpload
from ssk_tracker.lib.codes import normalize_code

MISSING_SCOPE = {
    "province": _("Choose the province this report covers."),
    "balai": _("Choose the Balai whose provinces this report covers."),
    "regency": _("Choose the regency this report covers."),
}


class BootstrapWidgets(forms.BaseForm):
    """Bootstrap's classes on the widgets themselves (and ``is-invalid`` on those with an error), for
    templates/reports/includes/form_fields.html, which writes crispy's markup without its templates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {kind}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"


class ReportRequestForm(BootstrapWidgets, forms.Form):
    """Audience and scope, limited to what the user may see."""

    # Every widget written in one pass (reports.region_fields), not through the form templates: the form
    # renders on every visit of the Laporan page.
    audience = forms.ChoiceField(label=_("Report for"), choices=Audience.choices, widget=RegionSelect)
    province = RegionChoiceField(label=_("Province"), queryset=None, required=False)
    balai = RegionChoiceField(label=_("Balai"), queryset=None, required=False)
    regency = RegionChoiceField(label=_("Regency"), queryset=None, required=False, group_by="province__name")
    period_start = forms.DateField(label=_("Period from"), widget=PlainDateInput)
    period_end = forms.DateField(label=_("Period to"), widget=PlainDateInput)
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, initial=Language.INDONESIAN, widget=RegionSelect
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scoping.scope_for(user)
        today = timezone.localdate()
        self.fields["period_start"].initial = datetime.date(today.year, 1, 1)
        self.fields["period_end"].initial = today
        self.fields["province"].queryset = (
            scoping.visible_provinces(user)
            if scoping.sees_whole_provinces(user)
            else scoping.visible_provinces(user).none()
        )
        self.fields["regency"].queryset = scoping.visible_regencies(user)
        self.fields["balai"].queryset = scoping.visible_balai(user)
        for name in ("province", "balai", "regency"):
            self.fields[name].empty_label = _("— choose —")
        if len(scope.province_codes) == 1:
            self.fields["province"].initial = next(iter(scope.province_codes))
        if scope.regency_code:
            self.fields["regency"].initial = scope.regency_code
        allowed = scoping.report_audiences(user)
        self.fields["audience"].choices = [(v, label) for v, label in Audience.choices if v in allowed]

    def request_fields(self) -> dict[str, Any]:
        """The cleaned request as ``services.request_report`` takes it (the page and the API request the same)."""
        data = self.cleaned_data
        return {
            "audience": data["audience"],
            "province": data["province"],
            "balai": data["balai"],
            "regency": data["regency"],
            "period": (data["period_start"], data["period_end"]),
            "language": data["language"],
        }

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        needed = {"provincial": "province", "balai": "balai", "regency": "regency"}.get(audience)
        if needed and not cleaned.get(needed):
            self.add_error(needed, MISSING_SCOPE[needed])
        for other in ("province", "balai", "regency"):
            if other != needed:
                cleaned[other] = None
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after its first day."))
        return cleaned


class VerifyCodeForm(forms.Form):
    """The code from a report's footer, as typed (case, hyphens and spaces do not matter)."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "XXXX-XXXX-XX", "autocomplete": "off", "class": "font-monospace"}),
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                gettext(
                    "A verification code has 10 letters and digits, as printed at the foot of each page: XXXX-XXXX-XX."
                )
            )
        return code


class VerifyFileForm(forms.Form):
    """A PDF to check, judged by its bytes like evidence; the view's upload handler keeps only its hash."""

    file = forms.FileField(
        label=_("Report file (PDF)"),
        error_messages={"required": _("Choose the PDF file to check.")},
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self) -> HashedUpload:
        upload = self.cleaned_data["file"]
        limit = settings.REPORT_VERIFY_MAX_BYTES
        if not isinstance(upload, HashedUpload):  # the view installs the handler; anything else is a bug
            raise ImproperlyConfigured("VerifyFileForm needs reports.verification.HashingUploadHandler.")
        size = upload.size or 0
        if size > limit or upload.sha256 is None:
            raise forms.ValidationError(
                gettext("%(name)s is %(size)s; the largest file checked is %(limit)s.")
                % {"name": upload.name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
            )
        if evidence.sniff(upload) is not evidence.PDF:
            raise forms.ValidationError(
                gettext(
                    "%(name)s is not a PDF file (its content does not begin like one). "
                    "Only PDF reports can be verified."
                )
                % {"name": upload.name}
            )
        return upload


class DeliveryForm(forms.Form):
    """Send a done report to the recipients ticked, with a cover note (reports.deliveries.send_report)."""

    recipients = forms.MultipleChoiceField(
        label=_("Send to"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one recipient.")},
    )
    cover_note = forms.CharField(
        label=_("Cover note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the report covers and what the recipients should look at; sent with the link."),
    )
    follow_up_action: "forms.ModelChoiceField[FollowUpAction]" = forms.ModelChoiceField(
        label=_("Answers the follow-up action"),
        queryset=None,
        required=False,
        help_text=_("A coaching clinic's follow-up this delivery answers, if any."),
    )

    def __init__(self, *args, statuses, actions, **kwargs):
        super().__init__(*args, **kwargs)
        # Every recipient stays a valid choice, so that a second press of a stale page is not an error:
        # the service skips those already sent. Only those not yet sent are ticked.
        self.fields["recipients"].choices = [(status.choice.key, _label(status)) for status in statuses]
        self.fields["recipients"].initial = [status.choice.key for status in statuses if status.delivery is None]
        self.fields["follow_up_action"].queryset = actions
        self.fields["follow_up_action"].empty_label = _("None")
        self.fields["follow_up_action"].label_from_instance = lambda action: (
            f"CC{action.recommendation.clinic.number} · {action.description[:120]}"
        )


def _label(status) -> str:
    if status.delivery is None:
        return status.choice.label
    sent = formats.date_format(timezone.localtime(status.delivery.sent_at), "SHORT_DATE_FORMAT")
    return _("%(recipient)s (sent %(date)s)") % {"recipient": status.choice.label, "date": sent}


class DeliveryYearForm(forms.Form):
    """The year of the per-period delivery table (and which province, for those who see several)."""

    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    provinsi: "forms.ModelChoiceField[Province]" = forms.ModelChoiceField(
        label=_("Province"), queryset=None, required=False, to_field_name="code"
    )

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinsi"].queryset = provinces
        self.fields["provinsi"].empty_label = _("All provinces in your scope")
