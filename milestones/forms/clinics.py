"""Forms for coaching clinics (with their participants), recommendations (with their follow-up actions)
and an action's status.

The forms say what is wrong next to the field; the services (clinic_services) check again and write.
Rows of the participant and action formsets are plain forms whose choices are built once per page, so a
form with many rows runs no query per row. The minutes are judged by content: a PDF or a DOCX only.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from milestones import evidence
from milestones.forms.milestones import EvidenceField
from milestones.forms.uploads import UploadLimitsMixin
from milestones.models import CoachingClinic, FollowUpAction, Recommendation
from milestones.selectors import clinics as selectors
from milestones.services import clinics as services
from ssk_tracker.lib import formatting

Status = FollowUpAction.Status


def _date_input():
    # type=date wants ISO dates whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- The clinic ---------------------------------------------------------------------------------------


class ClinicForm(UploadLimitsMixin, forms.ModelForm):
    number = forms.TypedChoiceField(label=_("Clinic number"), coerce=int, choices=())
    minutes_file = forms.FileField(
        label=_("Minutes (berita acara)"),
        required=False,
        help_text=_("PDF or Word (DOCX), optional."),
    )

    class Meta:
        model = CoachingClinic
        fields = [
            "number",
            "title",
            "date",
            "venue",
            "mode",
            "opened_by",
            "organiser",
            "regencies",
            "milestone",
            "summary",
        ]
        widgets = {
            "date": _date_input(),
            "regencies": forms.CheckboxSelectMultiple,
            "mode": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _("For example: Coaching Clinic 6, Implementasi SSK Kabupaten Barito Timur dan Murung Raya."),
            "opened_by": _("Who opened the clinic, for example the provincial secretary or an assistant."),
            "regencies": _("Only regencies of this province."),
        }

    def __init__(self, *args, province, **kwargs):
        self.province = province
        super().__init__(*args, **kwargs)
        self.fields["number"].choices = [(n, formatting.clinic_name(n)) for n in range(1, 8)]
        self.fields["regencies"].queryset = province.regencies.order_by("code")
        organisers = selectors.clinic_organisers(province)
        self.fields["organiser"].queryset = organisers
        self.fields["organiser"].empty_label = _("The provincial Pokja")
        self.fields["organiser"].help_text = _("Left empty: the provincial Pokja.")
        self.fields["milestone"].empty_label = _("The milestone the clinic number usually reviews")
        self.fields["milestone"].help_text = _("CC1 → M1, CC2–CC3 → M2, CC4–CC5 → M3, CC6–CC7 → M4.")
        if self.instance.pk and self.instance.minutes_id:
            self.fields["minutes_file"].help_text = _("Leave empty to keep %(name)s; choose a file to replace it.") % {
                "name": self.instance.minutes_name
            }

    def clean_minutes_file(self):
        uploaded = self.cleaned_data.get("minutes_file")
        if not uploaded:
            return None
        kind = evidence.identify(uploaded)
        if kind not in services.MINUTES_KINDS:
            raise ValidationError(
                _("%(name)s is not a PDF or Word (DOCX) document.") % {"name": uploaded.name}, code="bad_type"
            )
        return uploaded, kind

    def clean(self):
        cleaned = super().clean()
        if self.errors and cleaned.get("minutes_file"):
            self.add_error("minutes_file", _("Your other entries are kept; choose the file again."))
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        upload, kind = data["minutes_file"] or (None, None)
        fields = {name: data[name] for name in self._meta.fields}
        return {**fields, "minutes": upload, "minutes_kind": kind}


class ParticipantForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=200)
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)
    agency_name = forms.CharField(
        label=_("Agency (as written)"),
        max_length=300,
        required=False,
        help_text=_("When the agency is not in the list."),
    )
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    online = forms.BooleanField(label=_("Joined online"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        self.fields["agency"].choices = [("", "—")] + [(a.pk, a.name) for a in agencies.values()]


class BaseParticipantFormSet(forms.BaseFormSet):
    def inputs(self) -> list[services.ParticipantInput]:
        inputs = []
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                continue
            inputs.append(
                services.ParticipantInput(
                    name=data.get("name", ""),  # a row ticked for deletion is not validated
                    agency=form.agencies.get(data.get("agency")),
                    agency_name=data.get("agency_name", ""),
                    role=data.get("role", ""),
                    online=bool(data.get("online")),
                    pk=data.get("pk"),
                    delete=bool(data.get("DELETE")),
                )
            )
        return inputs


ParticipantFormSet = forms.formset_factory(
    ParticipantForm,
    formset=BaseParticipantFormSet,
    extra=3,
    can_delete=True,
    can_delete_extra=False,
    max_num=200,
    validate_max=True,
)


def participant_formset(data=None, *, province, clinic=None) -> BaseParticipantFormSet:
    agencies = {agency.pk: agency for agency in selectors.province_agencies(province)}
    initial = []
    if clinic is not None:
        initial = [
            {
                "pk": p.pk,
                "name": p.name,
                "agency": p.agency_id,
                "agency_name": p.agency_name,
                "role": p.role,
                "online": p.online,
            }
            for p in clinic.participants.all()
        ]
    return ParticipantFormSet(data, initial=initial, prefix="participants", form_kwargs={"agencies": agencies})


# --- Recommendations and their actions ---------------------------------------------------------------


class Owners:
    """Who the clinic's actions may be assigned to, as grouped choices ("pokja:3", "regency:62.13",
    "agency:7") and back: built once for a whole formset."""

    def __init__(self, clinic, covered):
        groups, agencies = selectors.action_owners(clinic.province_id, covered)
        self.by_key = {f"pokja:{g.pk}": g for g in groups}
        self.by_key.update({f"regency:{code}": regency for code, regency in covered.items()})
        self.by_key.update({f"agency:{a.pk}": a for a in agencies})
        self.choices = [("", "—")]
        for label, prefix, items in (
            (gettext("Pokja"), "pokja", [(g.pk, g.name) for g in groups]),
            (gettext("Regency"), "regency", [(code, r.name) for code, r in covered.items()]),
            (gettext("Agency"), "agency", [(a.pk, a.name) for a in agencies]),
        ):
            if items:
                self.choices.append((label, [(f"{prefix}:{key}", name) for key, name in items]))

    @staticmethod
    def key(action: FollowUpAction) -> str:
        if action.assigned_working_group_id:
            return f"pokja:{action.assigned_working_group_id}"
        if action.assigned_regency_id:
            return f"regency:{action.assigned_regency_id}"
        if action.assigned_agency_id:
            return f"agency:{action.assigned_agency_id}"
        return ""


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["order", "text"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "order": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }
        help_texts = {"order": _("Recommendations are listed in this order.")}


class ActionForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ChoiceField(
        label=_("Assigned to"),
        help_text=_("One owner: a Pokja, a regency or an agency."),
        error_messages={"required": _("Choose who carries the action out: a Pokja, a regency or an agency.")},
    )
    regency = forms.ChoiceField(
        label=_("Regency concerned"),
        required=False,
        help_text=_("Optional; an action assigned to a regency, its Pokja or its agency concerns that regency."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=_date_input())

    def __init__(self, *args, owners: Owners, covered, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners, self.covered = owners, covered
        self.fields["owner"].choices = owners.choices
        self.fields["regency"].choices = [("", "—")] + [(code, r.name) for code, r in covered.items()]

    def clean_owner(self):
        owner = self.owners.by_key.get(self.cleaned_data["owner"])
        if owner is None:
            raise ValidationError(_("Choose who carries the action out."), code="invalid_owner")
        return owner

    def clean_regency(self):
        return self.covered.get(self.cleaned_data.get("regency") or "")

    def clean(self):
        cleaned = super().clean()
        owner, regency = cleaned.get("owner"), cleaned.get("regency")
        owners_regency = services.owner_regency_code(owner) if owner is not None else None
        if regency is not None and owners_regency and owners_regency != regency.code:
            self.add_error(
                "regency",
                ValidationError(
                    _("The action is assigned to %(owner)s, so it concerns %(regency)s.")
                    % {"owner": owner, "regency": self.covered[owners_regency].name},
                    code="owner_elsewhere",
                ),
            )
        return cleaned


class BaseActionFormSet(forms.BaseFormSet):
    def inputs(self) -> list[services.ActionInput]:
        inputs = []
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                continue
            inputs.append(
                services.ActionInput(
                    description=data.get("description", ""),
                    owner=data.get("owner"),
                    due_date=data.get("due_date"),
                    regency=data.get("regency"),
                    pk=data.get("pk"),
                    delete=bool(data.get("DELETE")),
                )
            )
        return inputs


ActionFormSet = forms.formset_factory(
    ActionForm,
    formset=BaseActionFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=50,
    validate_max=True,
)


def action_formset(data=None, *, clinic, recommendation=None) -> BaseActionFormSet:
    """The recommendation's open and in-progress actions (done and dropped ones are not edited here) and
    two empty rows. ``clinic`` has its regencies prefetched."""
    covered = {r.code: r for r in clinic.regencies.all()}
    initial = []
    if recommendation is not None:
        for action in recommendation.actions.filter(status__in=FollowUpAction.ACTIVE_STATUSES).order_by("pk"):
            initial.append(
                {
                    "pk": action.pk,
                    "description": action.description,
                    "owner": Owners.key(action),
                    "regency": action.regency_id or "",
                    "due_date": action.due_date,
                }
            )
    return ActionFormSet(
        data,
        initial=initial,
        prefix="actions",
        form_kwargs={"owners": Owners(clinic, covered), "covered": covered},
    )


# --- An action's status -------------------------------------------------------------------------------


class ActionStatusForm(UploadLimitsMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    closing_note = forms.CharField(
        label=_("Closing note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to mark the action done: what was done, and where the result can be seen."),
    )
    drop_reason = forms.CharField(
        label=_("Reason for dropping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to drop the action; it stays on the record."),
    )
    files = EvidenceField(
        label=_("Evidence files"),
        required=False,
        help_text=_("With Done: PDF, JPEG, PNG, DOCX or XLSX; several at once are fine."),
    )

    def __init__(self, *args, action: FollowUpAction, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(Status.DONE, Status.DONE.label), (Status.DROPPED, Status.DROPPED.label)]
        if action.status == Status.OPEN:
            choices.insert(0, (Status.IN_PROGRESS, Status.IN_PROGRESS.label))
        self.fields["status"].choices = choices

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == Status.DROPPED and not cleaned.get("drop_reason", "").strip():
            self.add_error(
                "drop_reason",
                ValidationError(_("Say why the action is dropped; the reason stays on the record."), code="required"),
            )
        if status == Status.DONE and not cleaned.get("closing_note", "").strip():
            self.add_error(
                "closing_note",
                ValidationError(
                    _("Write a closing note: what was done, and where the result can be seen."), code="required"
                ),
            )
        if cleaned.get("files") and status != Status.DONE:
            self.add_error(
                "files",
                ValidationError(_("Evidence goes with closing the action: choose Done."), code="not_closing"),
            )
        if self.errors and cleaned.get("files"):
            # The browser cannot keep chosen files across a reload; say so next to the file errors.
            self.add_error("files", _("Your other entries are kept; choose the files again."))
        return cleaned


# --- The clinic list's filter -------------------------------------------------------------------------


class ClinicFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    regency = forms.ChoiceField(label=_("Regency"), required=False)

    def __init__(self, *args, years, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Every year"))] + [(y, str(y)) for y in years]
        self.fields["regency"].choices = [("", _("Every regency"))] + [(r.code, r.name) for r in regencies]

    def values(self) -> tuple[int | None, str | None]:
        """The valid part of the filter; a wrong value is ignored rather than refused."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("year"), data.get("regency") or None
