"""Forms for coaching clinics (with their participants), recommendations (with their follow-up actions)
and an action's status.

The forms say what is wrong next to the field; the services (clinic_services) check again and write.
Rows of the participant and action formsets are plain forms whose choices are built once per page, so a
form with many rows runs no query per row. The minutes are judged by content: a PDF or a DOCX only.

The clinic form takes a whole clinic in one sitting (``ClinicEntry``): its details, participants and new
recommendations with their follow-up actions, rows added and removed in place by static/js/formset.js
(and a few empty rows without JavaScript). The actions are one flat formset: each row names the
recommendation row it belongs to by that row's index, so no formset is nested in another.
"""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from milestones import evidence
from milestones.forms.milestones import EvidenceField
from milestones.forms.review import ReviewDecisionForm
from milestones.forms.uploads import UploadLimitsMixin
from milestones.models import CoachingClinic, FollowUpAction, Recommendation
from milestones.selectors import clinics as selectors
from milestones.selectors.closings import parse_proof_value
from milestones.services import clinics as services
from regencies.models import Agency, Province, Regency
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
        labels = {
            # "Title" is also a person's position (Jabatan): the clinic's is a Judul.
            "title": pgettext_lazy("clinic", "Title"),
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
        if self.instance.pk is None and not self.is_bound:
            proposed = selectors.proposed_clinic_number(province)
            self.initial.setdefault("number", proposed)
            self.fields["number"].help_text = _(
                "Proposed: the next clinic after the province's latest. Change it if this clinic is another one."
            )
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
        number, date, regencies = cleaned.get("number"), cleaned.get("date"), cleaned.get("regencies")
        if number and date and regencies:
            taken = selectors.clinic_with_number(
                self.province,
                number=number,
                year=date.year,
                regency_codes=[r.code for r in regencies],
                exclude_pk=self.instance.pk,
            )
            if taken is not None:
                self.add_error(
                    "number",
                    ValidationError(
                        _(
                            "%(clinic)s of %(year)s is already recorded for these regencies (%(date)s, “%(title)s”). "
                            "Choose the right number, or open that clinic to add to it."
                        )
                        % {
                            "clinic": formatting.clinic_name(number),
                            "year": date.year,
                            "date": date_format(taken.date, "DATE_FORMAT"),
                            "title": taken.title,
                        },
                        code="number_taken",
                    ),
                )
        if self.errors and cleaned.get("minutes_file"):
            self.add_error("minutes_file", _("Your other entries are kept; choose the file again."))
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        upload, kind = data["minutes_file"] or (None, None)
        fields = {name: data[name] for name in self._meta.fields}
        return {**fields, "minutes": upload, "minutes_kind": kind}


def agency_place(agency: Agency) -> str:
    """Where an agency belongs: its regency, its province, or the nation (``agency`` has them selected)."""
    if agency.regency_id is not None:
        return agency.regency.name  # type: ignore[union-attr]
    if agency.province_id is not None:
        return gettext("Province of %(name)s") % {"name": agency.province.name}  # type: ignore[union-attr]
    return gettext("National")


def agency_label(agency: Agency) -> str:
    """ "Bappeda — Kabupaten Barito Timur": the name alone repeats once per regency."""
    return f"{agency.name} — {agency_place(agency)}"


def agency_choices(agencies: Iterable[Agency]) -> list:
    """The agencies grouped by their place (an <optgroup> each), in the order given, each labelled in full:
    a closed <select> shows only the option, not its group."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for agency in agencies:
        groups.setdefault(agency_place(agency), []).append((agency.pk, agency_label(agency)))
    return [("", "—"), *groups.items()]


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
    # A participant's post (Jabatan), not a clinic's title (Judul).
    role = forms.CharField(label=pgettext_lazy("person's position", "Title"), max_length=200, required=False)
    online = forms.BooleanField(label=_("Joined online"), required=False)

    def __init__(self, *args, agencies: dict[int, Agency], agency_options: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        cast(forms.ChoiceField, self.fields["agency"]).choices = agency_options
        self.fields["agency_name"].help_text = ""  # said once above the rows


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


# Rows are added in place (formset.js), so an added row may be removed again: DELETE on every row.
ParticipantFormSet = forms.formset_factory(
    ParticipantForm,
    formset=BaseParticipantFormSet,
    extra=3,
    can_delete=True,
    can_delete_extra=True,
    max_num=200,
    validate_max=True,
)


def participant_formset(data=None, *, province, clinic=None, agencies=None) -> BaseParticipantFormSet:
    if agencies is None:
        agencies = list(selectors.province_agencies(province))
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
    return ParticipantFormSet(
        data,
        initial=initial,
        prefix="participants",
        form_kwargs={"agencies": {a.pk: a for a in agencies}, "agency_options": agency_choices(agencies)},
    )


# --- Participants pasted from a list ------------------------------------------------------------------

# An academic degree after a name ("Ir. Budi Santoso, M.T."): its comma does not start the agency.
_DEGREE = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}\.?){1,4}$")
_SPACES = re.compile(r"[\s,.\-—–]+")
_REGION_WORDS = ("kabupaten ", "kab. ", "kota ", "provinsi ")
MAX_PASTED_LINES = 200


def _key(text: str) -> str:
    return _SPACES.sub(" ", text.casefold()).strip()


def _short_place(name: str) -> str:
    lowered = name.casefold()
    for word in _REGION_WORDS:
        if lowered.startswith(word):
            return name[len(word) :]
    return name


@dataclass(frozen=True)
class PastedLine:
    """One line of a pasted list as understood: a participant, or ``problem`` saying why not."""

    number: int
    text: str
    name: str = ""
    agency: Agency | None = None
    agency_name: str = ""
    role: str = ""
    problem: str = ""
    note: str = ""  # how the agency was read

    @property
    def ok(self) -> bool:
        return not self.problem


class AgencyMatcher:
    """Finds an agency of the province by what a list calls it, case-insensitive: its name or short name,
    alone when only one agency has it, or followed by its regency or province ("Bappeda Barito Timur",
    "Bappeda — Kabupaten Barito Timur")."""

    def __init__(self, agencies: Iterable[Agency]) -> None:
        self.by_key: dict[str, list[Agency]] = {}
        for agency in agencies:
            names = {agency.name, agency.short_name} - {""}
            place = agency.regency or agency.province
            places = {place.name, _short_place(place.name)} if place is not None else set()
            keys = {_key(name) for name in names}
            keys |= {_key(f"{name} {where}") for name in names for where in places}
            for key in keys:
                self.by_key.setdefault(key, []).append(agency)

    def find(self, text: str) -> list[Agency]:
        return self.by_key.get(_key(text), []) if text.strip() else []


def parse_participants(text: str, agencies: Iterable[Agency]) -> list[PastedLine]:
    """Each non-empty line of ``text``: "name, agency, position", or the same three cells tab-separated as a
    spreadsheet pastes them. Agency and position may be left out. An agency is matched by name within the
    province (``AgencyMatcher``); one not found, or named alike in several regencies, is kept as written."""
    matcher = AgencyMatcher(agencies)
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if number > MAX_PASTED_LINES:
            lines.append(
                PastedLine(number, line, problem=gettext("At most %(n)s lines at once.") % {"n": MAX_PASTED_LINES})
            )
            break
        lines.append(_parse_line(number, raw, matcher))
    return lines


def _cells(raw: str) -> list[str]:
    if "\t" in raw:
        cells = [cell.strip() for cell in raw.split("\t")]
    else:
        cells = [cell.strip() for cell in next(csv.reader([raw], skipinitialspace=True))]
        # "Ir. Budi Santoso, M.T., Bappeda": the degrees belong to the name.
        while len(cells) > 1 and _DEGREE.match(cells[1]) and "." in cells[1]:
            cells[0:2] = [f"{cells[0]}, {cells[1]}"]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _parse_line(number: int, raw: str, matcher: AgencyMatcher) -> PastedLine:
    text = raw.strip()
    cells = _cells(raw)
    if len(cells) > 3:
        if "\t" in raw:
            return PastedLine(
                number, text, problem=gettext("More than three columns: give name, agency and position only.")
            )
        # The position may hold commas ("Kepala Bidang Fisik, Prasarana dan Lingkungan").
        cells = [*cells[:2], ", ".join(cells[2:])]
    name, agency_text, role = (cells + ["", "", ""])[:3]
    if not name:
        return PastedLine(number, text, problem=gettext("The line has no name first."))
    if len(name) > 200:
        return PastedLine(number, text, problem=gettext("The name is longer than 200 characters."))
    if len(agency_text) > 300 or len(role) > 200:
        return PastedLine(number, text, problem=gettext("The agency or the position is too long."))
    found = matcher.find(agency_text)
    if len(found) == 1:
        return PastedLine(
            number, text, name, agency=found[0], role=role, note=gettext("Matched: %s") % agency_label(found[0])
        )
    if len(found) > 1:
        note = gettext("Several agencies are called so (%(n)s): kept as written; add the regency to match one.") % {
            "n": len(found)
        }
    elif agency_text:
        note = gettext("Not in the list: kept as written.")
    else:
        note = ""
    return PastedLine(number, text, name, agency_name=agency_text, role=role, note=note)


class PasteForm(forms.Form):
    paste = forms.CharField(
        label=_("Paste a list of participants"),
        required=False,
        strip=False,
        max_length=60_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "One participant a line: name, agency, position (or three columns copied from a spreadsheet). "
            "Check the preview, then add the rows."
        ),
    )


# --- Recommendations and their actions ---------------------------------------------------------------


class Owners:
    """Who the clinic's actions may be assigned to, as grouped choices ("pokja:3", "regency:62.13",
    "agency:7") and back: built once for a whole formset."""

    def __init__(self, province_code: str, covered: dict[str, Regency]):
        groups, agencies = selectors.action_owners(province_code, covered)
        self.by_key: dict[str, services.Owner] = {f"pokja:{g.pk}": g for g in groups}
        self.by_key.update({f"regency:{code}": regency for code, regency in covered.items()})
        self.by_key.update({f"agency:{a.pk}": a for a in agencies})
        self.choices: list[Any] = [("", "—")]
        for label, prefix, items in (
            (gettext("Pokja"), "pokja", [(g.pk, g.name) for g in groups]),
            (gettext("Regency"), "regency", [(code, r.name) for code, r in covered.items()]),
            (gettext("Agency"), "agency", [(a.pk, agency_label(a)) for a in agencies]),
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
        cast(forms.ChoiceField, self.fields["owner"]).choices = owners.choices
        regencies = [(code, r.name) for code, r in covered.items()]
        cast(forms.ChoiceField, self.fields["regency"]).choices = [("", "—"), *regencies]

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
    can_delete_extra=True,
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
        form_kwargs={"owners": Owners(clinic.province_id, covered), "covered": covered},
    )


# The recommendations and actions entered with their clinic (ClinicEntry).


class RecommendationRowForm(forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))


class ClinicActionForm(ActionForm):
    # The index of the recommendation row this action follows (set by the page, or by formset.js).
    recommendation = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Said once above the rows (clinic_form.html), not under every row of a long page.
        self.fields["owner"].help_text = self.fields["regency"].help_text = ""

    def has_changed(self) -> bool:
        # An empty row only linked to its recommendation was not filled in.
        return any(name != "recommendation" for name in self.changed_data)


class BaseClinicActionFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        layout = getattr(self, "layout", None)
        if index is not None and layout is not None and index < len(layout):
            kwargs["initial"] = {"recommendation": layout[index]}
        return kwargs


RECOMMENDATION_ROWS = 1  # empty recommendation rows on the clinic form (more are added in place)
ACTION_ROWS = 2  # empty action rows under each of them

RecommendationRowFormSet = forms.formset_factory(
    RecommendationRowForm, extra=RECOMMENDATION_ROWS, can_delete=True, can_delete_extra=True, max_num=50
)
ClinicActionFormSet = forms.formset_factory(
    ClinicActionForm,
    formset=BaseClinicActionFormSet,
    extra=0,
    can_delete=True,
    can_delete_extra=True,
    max_num=300,
    validate_max=True,
)


class ClinicEntry:
    """A clinic in one sitting: its form, participants, and new recommendations with their follow-up
    actions; valid only if every row is, and then one service call saves it all."""

    def __init__(self, data, files, *, province: Province, clinic: CoachingClinic | None = None) -> None:
        self.province = province
        self.form = ClinicForm(data, files, province=province, instance=clinic)
        agencies = list(selectors.province_agencies(province))
        self.participants = participant_formset(data, province=province, clinic=clinic, agencies=agencies)
        self.covered_choices = {r.code: r for r in province.regencies.order_by("code")}
        self.owners = Owners(province.code, self.covered_choices)
        # A POST without these sections (a script, an older page) brings no new recommendation.
        rows_data = data if data is not None and "recommendations-TOTAL_FORMS" in data else None
        self.recommendations = RecommendationRowFormSet(rows_data, prefix="recommendations")
        self.actions = ClinicActionFormSet(
            rows_data,
            prefix="actions",
            form_kwargs={"owners": self.owners, "covered": self.covered_choices},
        )
        if rows_data is None:
            # Without JavaScript: two empty action rows under each empty recommendation row.
            layout = [i for i in range(RECOMMENDATION_ROWS) for _ in range(ACTION_ROWS)]
            self.actions.layout = layout  # type: ignore[attr-defined]
            self.actions.extra = len(layout)

    # --- Rendering

    def recommendation_rows(self) -> list[tuple[forms.Form, list[forms.Form]]]:
        """Each recommendation row with the action rows that follow it; an action row naming no row shown
        (the page is then wrong) goes under the last one."""
        by_index: dict[int, list[forms.Form]] = {}
        rows = list(self.recommendations.forms)
        for action_form in self.actions.forms:
            index = _int(action_form["recommendation"].value())
            if index is None or not 0 <= index < len(rows):
                index = len(rows) - 1
            by_index.setdefault(index, []).append(action_form)
        return [(form, by_index.get(i, [])) for i, form in enumerate(rows)]

    # --- Validation

    def is_valid(self) -> bool:
        valid = all(
            [
                self.form.is_valid(),
                self.participants.is_valid(),
                self.recommendations.is_valid() or not self.recommendations.is_bound,
                self.actions.is_valid() or not self.actions.is_bound,
            ]
        )
        if self.recommendations.is_bound:
            self._check_rows()
        return valid and not self.row_errors and self.form.is_valid()

    @property
    def row_errors(self) -> bool:
        """An error ``_check_rows`` put on a row that is kept (a removed row's errors do not count)."""
        if not self.recommendations.is_bound:
            return False
        return any(
            form.errors
            for formset in (self.recommendations, self.actions)
            for form in formset.forms
            if not _removed(form)
        )

    def _kept_recommendations(self) -> dict[int, forms.Form]:
        return {i: form for i, form in enumerate(self.recommendations.forms) if not _removed(form)}

    def _check_rows(self) -> None:
        """What one row cannot know: an action follows a recommendation row that is there and written, and
        its owner and regency are among the regencies the clinic covers (as ticked above)."""
        kept = self._kept_recommendations()
        chosen = self.form.cleaned_data.get("regencies") if hasattr(self.form, "cleaned_data") else None
        covered = {r.code for r in chosen} if chosen is not None else None
        filled_rows: set[int] = set()
        for action_form in self.actions.forms:
            if _removed(action_form) or not action_form.has_changed():
                continue
            index = _int(action_form["recommendation"].value())
            if index not in kept and index is not None and 0 <= index < len(self.recommendations.forms):
                continue  # its recommendation row was removed: the action goes with it
            if index is None or index not in kept:
                action_form.add_error(None, _("This action belongs to no recommendation: add it under one."))
                continue
            filled_rows.add(index)
            data = getattr(action_form, "cleaned_data", {})
            if covered is None:
                continue
            owner, regency = data.get("owner"), data.get("regency")
            owners_regency = services.owner_regency_code(owner) if owner is not None else None
            if owners_regency and owners_regency not in covered:
                action_form.add_error(
                    "owner",
                    ValidationError(
                        _(
                            "%(owner)s is of %(regency)s, which this clinic does not cover: "
                            "tick it above or choose another owner."
                        )
                        % {"owner": owner, "regency": self.covered_choices[owners_regency].name},
                        code="owner_not_covered",
                    ),
                )
            if regency is not None and regency.code not in covered:
                action_form.add_error(
                    "regency",
                    ValidationError(
                        _("This clinic does not cover %(regency)s: tick it above or leave this empty.")
                        % {"regency": regency.name},
                        code="regency_not_covered",
                    ),
                )
        for index in filled_rows:
            form = kept[index]
            if not form.has_changed():
                form.add_error(
                    "text", ValidationError(_("Write the recommendation these actions follow."), code="required")
                )

    # --- Saving

    def service_fields(self) -> dict[str, Any]:
        fields = {**self.form.service_fields(), "participants": self.participants.inputs()}
        if not self.recommendations.is_bound:
            return fields
        kept = self._kept_recommendations()
        actions: dict[int, list[services.ActionInput]] = {}
        for action_form in self.actions.forms:
            if _removed(action_form) or not action_form.has_changed():
                continue
            index = _int(action_form["recommendation"].value())
            if index in kept:
                data = action_form.cleaned_data
                actions.setdefault(index, []).append(
                    services.ActionInput(
                        description=data["description"],
                        owner=data["owner"],
                        due_date=data["due_date"],
                        regency=data.get("regency"),
                    )
                )
        recommendations = [
            services.RecommendationInput(text=form.cleaned_data["text"], actions=tuple(actions.get(i, ())))
            for i, form in kept.items()
            if form.has_changed()
        ]
        return {**fields, "recommendations": recommendations}


def _removed(form: forms.BaseForm) -> bool:
    """The row's DELETE box is ticked (what BaseFormSet._should_delete_form reads)."""
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


# --- An action's status -------------------------------------------------------------------------------


class ActionStatusForm(UploadLimitsMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    closing_note = forms.CharField(
        label=_("Closing note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to close the action: what was done, and where the result can be seen."),
    )
    proofs = forms.MultipleChoiceField(
        label=_("Proof in the tracker"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "With Done: the records that show the action done (hold Ctrl to choose several). "
            "The province accepts the closing or returns it."
        ),
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

    def __init__(self, *args, action: FollowUpAction, proof_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (Status.DONE, _("Done (submit the closing to the province)")),
            (Status.DROPPED, Status.DROPPED.label),
        ]
        if action.status == Status.OPEN:
            choices.insert(0, (Status.IN_PROGRESS, Status.IN_PROGRESS.label))
        self.fields["status"].choices = choices
        proofs = self.fields["proofs"]
        assert isinstance(proofs, forms.ChoiceField)
        proofs.choices = [(str(group.kind.label), group.choices) for group in proof_groups]

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
        if (
            status == Status.DONE
            and not cleaned.get("proofs")
            and not cleaned.get("files")
            and "files" not in self.errors
        ):
            self.add_error(
                "proofs",
                ValidationError(
                    _("Link at least one record of the tracker or upload a file as proof of the closing."),
                    code="no_proof",
                ),
            )
        if cleaned.get("proofs") and status != Status.DONE:
            self.add_error(
                "proofs", ValidationError(_("Proof goes with closing the action: choose Done."), code="not_closing")
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

    def proof_refs(self) -> list[tuple[str, int]]:
        """The chosen proofs as (kind, record id)."""
        refs = (parse_proof_value(value) for value in self.cleaned_data.get("proofs") or [])
        return [ref for ref in refs if ref is not None]


class ClosingDecisionForm(ReviewDecisionForm):
    """The province's decision on a waiting closing: accepting it is the review workflow's verify."""

    VERIFY = ACCEPT = "accept"
    verify_label = _("Accept the closing")
    return_label = _("Return it to the owner")
    comment_help = _("Needed to return the closing: the owner reads it and closes the action again.")
    reason_missing = _("Say why it is returned: the owner reads the reason and closes the action again.")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the action is reopened; the reason stays in its history.")},
    )


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
