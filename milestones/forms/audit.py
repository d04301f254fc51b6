"""The audit-trail page's filter form (GET): regency, province, user, model, date range."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from milestones.selectors import audit as selectors
from regencies.models import Province, Regency

ALL = _("(all)")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # type=date sends ISO dates


class AuditFilterForm(forms.Form):
    regency = forms.ModelChoiceField(
        label=_("Regency"),
        queryset=Regency.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=ALL,
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=ALL,
    )
    user = forms.ModelChoiceField(
        label=_("User"),
        queryset=get_user_model().objects.order_by("username"),
        required=False,
        empty_label=ALL,
    )
    model = forms.TypedChoiceField(label=_("Kind of record"), coerce=int, required=False, empty_value=None)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.fields.values():
            css = "form-select" if isinstance(bound.widget, forms.Select) else "form-control"
            bound.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"
        self.fields["user"].label_from_instance = lambda user: user.get_full_name() or user.username
        self.fields["model"].choices = [("", ALL)] + [
            (ct.pk, selectors.model_name(ct).capitalize()) for ct in selectors.audited_content_types()
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def criteria(self) -> selectors.AuditFilter:
        data = self.cleaned_data
        return selectors.AuditFilter(
            regency_code=data["regency"].code if data.get("regency") else None,
            province_code=data["province"].code if data.get("province") else None,
            actor_id=data["user"].pk if data.get("user") else None,
            content_type_id=data.get("model"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
