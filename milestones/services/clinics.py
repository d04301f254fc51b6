"""Writes for coaching clinics, their recommendations and follow-up actions.

Views check who may act (regencies.scoping; ``selectors.clinics.may_update_action`` for an action);
these functions check that the act still makes sense and write in one transaction, so a refused act
(``ActionRefused``) leaves nothing half-saved: a clinic with its regencies, participants and minutes, a
recommendation with its actions, a closed action with its evidence are written together or not at all.

An action moves open → in progress → done or dropped (open → done or dropped directly too); the
province's Pokja staff may reopen a done or dropped action. Each move is claimed with
``filter(pk=…, status__in=…).update(…)`` and goes on only if one row changed: of two people acting on
the same action at once, one wins and the other is told what happened.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from milestones import evidence
from milestones.models import (
    ClinicParticipant,
    CoachingClinic,
    FollowUpAction,
    MilestoneDefinition,
    Recommendation,
)
from milestones.services import ActionRefused, Upload, accepted_upload, review, upload_name
from milestones.services.closings import accept_closing, close_action, reopen_action, return_closing
from milestones.services.edits import claim_version
from regencies.models import Agency, Province, Regency, WorkingGroup
from ssk_tracker.lib import audit
from ssk_tracker.lib.users import User

Status = FollowUpAction.Status
ACTIVE = FollowUpAction.ACTIVE_STATUSES
CLOSED = [Status.DONE, Status.DROPPED]

# Which milestone a clinic usually reviews (DOMAIN.md; CC4 → M3 is inferred): used when none is named.
USUAL_MILESTONE: dict[int, int] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 4, 7: 4}

# The minutes (berita acara) of a clinic: judged by content (evidence.identify), not by name.
MINUTES_KINDS = (evidence.PDF, evidence.DOCX)

__all__ = [
    "ActionInput",
    "ActionRefused",
    "ParticipantInput",
    "RecommendationInput",
    "accept_closing",
    "close_action",
    "delete_recommendation",
    "drop_action",
    "reopen_action",
    "return_closing",
    "save_clinic",
    "save_recommendation",
    "start_action",
]


# --- Clinics ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantInput:
    """One participant as entered; ``pk`` for an existing one."""

    name: str
    agency: Agency | None = None
    agency_name: str = ""
    role: str = ""
    online: bool = False
    pk: int | None = None
    delete: bool = False


def _check_organiser(province: Province, organiser: WorkingGroup | None) -> WorkingGroup | None:
    if organiser is None:
        # The provincial Pokja runs the clinics (DOMAIN.md): it organises unless another is named.
        return WorkingGroup.objects.filter(level=WorkingGroup.Level.PROVINCIAL, province=province).first()
    allowed = (
        organiser.level == WorkingGroup.Level.NATIONAL
        or organiser.province_id == province.code
        or (organiser.regency_id or "").startswith(f"{province.code}.")
    )
    if not allowed:
        raise ActionRefused(_("%(name)s cannot organise a clinic of this province.") % {"name": organiser.name})
    return organiser


def save_clinic(
    *,
    province: Province,
    actor: User,
    number: int,
    title: str,
    date: datetime.date,
    regencies: Iterable[Regency],
    venue: str = "",
    mode: str = CoachingClinic.Mode.IN_PERSON,
    opened_by: str = "",
    organiser: WorkingGroup | None = None,
    milestone: MilestoneDefinition | None = None,
    summary: str = "",
    participants: Iterable[ParticipantInput] = (),
    recommendations: Iterable["RecommendationInput"] = (),
    minutes: Upload | None = None,
    minutes_kind: evidence.FileKind | None = None,
    clinic: CoachingClinic | None = None,
    version: int | None = None,
) -> CoachingClinic:
    """Record a clinic of the province (or correct one) with the regencies it covered and its participants.

    ``minutes`` (with the ``minutes_kind`` that ``evidence.identify`` gave it) replaces the minutes file;
    without it the file on record stays. ``version``: the clinic's version the edit form was loaded at
    (``EditConflict`` when it moved on; None writes unconditionally). Without ``organiser`` the
    provincial Pokja organised it; without ``milestone`` it reviewed the milestone its number usually
    reviews. A regency that has follow-up actions of this clinic cannot be taken off the clinic.

    ``recommendations``: new recommendations with their follow-up actions, recorded with the clinic in the
    same transaction (the clinic form takes a whole clinic in one sitting); every one is checked against
    the regencies covered before anything is written. Existing ones are edited on their own page.
    """
    regencies = list(regencies)
    title = (title or "").strip()
    if not 1 <= number <= 7:
        raise ActionRefused(_("A coaching clinic is numbered 1 to 7."))
    if not title:
        raise ActionRefused(_("Give the clinic a title."))
    if not regencies:
        raise ActionRefused(_("Choose the regencies the clinic covered."))
    outside = [r.name for r in regencies if r.province_id != province.code]
    if outside:
        raise ActionRefused(
            _("Only regencies of %(province)s can be covered: %(names)s is not one.")
            % {"province": province.name, "names": ", ".join(outside)}
        )
    if mode not in CoachingClinic.Mode.values:
        raise ActionRefused(_("Choose how the clinic was held."))
    new_minutes = accepted_upload(
        minutes, minutes_kind, MINUTES_KINDS, _("The minutes must be a PDF or a Word (DOCX) file.")
    )
    if clinic is not None and clinic.province_id != province.code:
        raise ActionRefused(_("This clinic belongs to another province."))
    new_recommendations = _checked_recommendations(province, regencies, recommendations)
    fields: dict[str, object] = {
        "number": number,
        "title": title,
        "date": date,
        "venue": (venue or "").strip(),
        "mode": mode,
        "opened_by": (opened_by or "").strip(),
        "organiser": _check_organiser(province, organiser),
        "milestone": milestone or _usual_milestone(number),
        "summary": (summary or "").strip(),
    }
    with evidence.files_kept_on_commit():
        if clinic is None:
            if new_minutes is not None:
                fields["minutes"] = evidence.store(*new_minutes)
                fields["minutes_name"] = upload_name(new_minutes[0])
            clinic = CoachingClinic.objects.create(province=province, created_by=actor, **fields)
        else:
            _keep_regencies_with_actions(clinic, {r.code for r in regencies})
            # The version is claimed before the minutes are stored: a refused save stores no file.
            clinic.version = claim_version(CoachingClinic, pk=clinic.pk, version=version, values=fields)
            if new_minutes is not None:
                fields["minutes"] = evidence.store(*new_minutes)
                fields["minutes_name"] = upload_name(new_minutes[0])
                audit.update(
                    CoachingClinic.objects.filter(pk=clinic.pk),
                    minutes=fields["minutes"],
                    minutes_name=fields["minutes_name"],
                )
            for key, value in fields.items():
                setattr(clinic, key, value)
        clinic.regencies.set(regencies)
        _save_participants(clinic, participants)
        _add_recommendations(clinic, new_recommendations)
    return clinic


def _usual_milestone(number: int) -> MilestoneDefinition | None:
    """The milestone a clinic of this number usually reviews (CC1 → M1, CC2–3 → M2, CC4–5 → M3, CC6–7 → M4)."""
    usual = USUAL_MILESTONE.get(number)
    if usual is None:
        return None
    return MilestoneDefinition.objects.filter(number=usual).first()


def _keep_regencies_with_actions(clinic: CoachingClinic, kept_codes: set[str]) -> None:
    removed = set(clinic.regencies.values_list("code", flat=True)) - kept_codes
    if not removed:
        return
    paths = ("regency", "assigned_regency", "assigned_working_group__regency", "assigned_agency__regency")
    in_use = Q()
    for path in paths:
        in_use |= Q(**{f"{path}__in": sorted(removed)})
    rows = FollowUpAction.objects.filter(in_use, recommendation__clinic=clinic).values_list(*paths)
    used = {code for row in rows for code in row if code in removed}
    if used:
        names = Regency.objects.filter(code__in=sorted(used)).order_by("code").values_list("name", flat=True)
        raise ActionRefused(
            _("%(names)s cannot be taken off this clinic: follow-up actions of the clinic concern it.")
            % {"names": ", ".join(names)}
        )


class ParticipantValues(TypedDict):
    name: str
    agency: Agency | None
    agency_name: str
    role: str
    online: bool


def _save_participants(clinic: CoachingClinic, participants: Iterable[ParticipantInput]) -> None:
    existing = set(ClinicParticipant.objects.filter(clinic=clinic).values_list("pk", flat=True))
    new = []
    for entry in participants:
        values: ParticipantValues = {
            "name": entry.name.strip(),
            "agency": entry.agency,
            "agency_name": entry.agency_name.strip(),
            "role": entry.role.strip(),
            "online": entry.online,
        }
        if entry.pk is None:
            if not entry.delete:
                if not values["name"]:
                    raise ActionRefused(_("Every participant needs a name."))
                new.append(ClinicParticipant(clinic=clinic, **values))
            continue
        if entry.pk not in existing:
            raise ActionRefused(_("A participant of this clinic was removed meanwhile; open the clinic again."))
        if entry.delete:
            ClinicParticipant.objects.filter(pk=entry.pk).delete()
        else:
            audit.update(ClinicParticipant.objects.filter(pk=entry.pk), **values)
    audit.bulk_created(ClinicParticipant.objects.bulk_create(new))


# --- Recommendations and their actions ----------------------------------------------------------------


# Who carries out a follow-up action.
type Owner = WorkingGroup | Regency | Agency


@dataclass(frozen=True)
class RecommendationInput:
    """A new recommendation entered with its clinic, and its follow-up actions."""

    text: str
    actions: tuple["ActionInput", ...] = ()
    order: int | None = None


def _checked_recommendations(
    province: Province, regencies: list[Regency], recommendations: Iterable[RecommendationInput]
) -> list[tuple[int | None, str, list["ActionValues"]]]:
    """(order, text, actions' values) of each new recommendation, every entry checked before anything is
    written: one wrong action refuses the whole clinic."""
    covered = {r.code: r for r in regencies}
    checked = []
    for entry in recommendations:
        text = (entry.text or "").strip()
        if not text:
            raise ActionRefused(_("Write each recommendation."))
        values = [_action_values(province.code, covered, action) for action in entry.actions if not action.delete]
        checked.append((entry.order, text, values))
    return checked


def _add_recommendations(clinic: CoachingClinic, checked: list[tuple[int | None, str, list["ActionValues"]]]) -> None:
    if not checked:
        return
    highest = Recommendation.objects.filter(clinic=clinic).aggregate(n=Max("order"))["n"] or 0
    actions: list[FollowUpAction] = []
    for position, (order, text, values) in enumerate(checked, start=1):
        recommendation = Recommendation.objects.create(clinic=clinic, order=order or highest + position, text=text)
        actions.extend(FollowUpAction(recommendation=recommendation, **fields) for fields in values)
    audit.bulk_created(FollowUpAction.objects.bulk_create(actions))


@dataclass(frozen=True)
class ActionInput:
    """One follow-up action as entered: its owner is a Pokja, a regency or an agency (exactly one)."""

    description: str
    owner: Owner | None
    due_date: datetime.date | None
    regency: Regency | None = None
    pk: int | None = None
    delete: bool = False


def owner_regency_code(owner: Owner | None) -> str | None:
    """The regency an owner belongs to (a regency, its Pokja, one of its agencies), else None."""
    if isinstance(owner, Regency):
        return owner.code
    return owner.regency_id if owner is not None else None


def owner_allowed(owner: Owner | None, *, province_code: str, covered: set[str]) -> bool:
    """A clinic's action may go to a regency it covered; to the national Pokja, the province's or a covered
    regency's; to a national agency, the province's or a covered regency's."""
    if isinstance(owner, Regency):
        return owner.code in covered
    if isinstance(owner, WorkingGroup):
        return (
            owner.level == WorkingGroup.Level.NATIONAL
            or owner.province_id == province_code
            or owner.regency_id in covered
        )
    if isinstance(owner, Agency):
        if owner.regency_id:
            return owner.regency_id in covered
        return owner.province_id in (None, province_code)
    return False


class ActionValues(TypedDict):
    """A follow-up action's fields as a save writes them."""

    description: str
    due_date: datetime.date
    regency: Regency | None
    assigned_working_group: WorkingGroup | None
    assigned_regency: Regency | None
    assigned_agency: Agency | None
    province_id: str


def _action_values(province_code: str, covered: dict[str, Regency], entry: ActionInput) -> ActionValues:
    description = (entry.description or "").strip()
    if not description:
        raise ActionRefused(_("Describe each follow-up action."))
    if entry.due_date is None:
        raise ActionRefused(_("Give each follow-up action a due date."))
    owner = entry.owner
    if not owner_allowed(owner, province_code=province_code, covered=set(covered)):
        raise ActionRefused(
            _("“%(action)s”: assign it to a Pokja, a regency the clinic covered or an agency of the province.")
            % {"action": description[:60]}
        )
    regency = entry.regency
    if regency is not None and regency.code not in covered:
        raise ActionRefused(
            _("“%(action)s” concerns %(regency)s, which the clinic did not cover.")
            % {"action": description[:60], "regency": regency.name}
        )
    owners_regency = owner_regency_code(owner)
    if regency is not None and owners_regency and owners_regency != regency.code:
        raise ActionRefused(
            _("“%(action)s” is assigned to %(owner)s but concerns %(regency)s; make them agree.")
            % {"action": description[:60], "owner": owner, "regency": regency.name}
        )
    return {
        "description": description,
        "due_date": entry.due_date,
        "regency": regency or covered.get(owners_regency or ""),
        "assigned_working_group": owner if isinstance(owner, WorkingGroup) else None,
        "assigned_regency": owner if isinstance(owner, Regency) else None,
        "assigned_agency": owner if isinstance(owner, Agency) else None,
        "province_id": province_code,
    }


def save_recommendation(
    *,
    clinic: CoachingClinic,
    actor: User,
    text: str,
    order: int | None = None,
    actions: Iterable[ActionInput] = (),
    recommendation: Recommendation | None = None,
    version: int | None = None,
) -> Recommendation:
    """Add a recommendation to a clinic (or correct one) with its follow-up actions, all or nothing.

    Only open and in-progress actions are edited or removed here; an action that was closed or dropped
    meanwhile refuses the whole save. An action that concerns no regency but is assigned to a regency,
    its Pokja or one of its agencies concerns that regency. ``version``: the recommendation's version
    the form was loaded at (it guards the action rows too: they are edited only with it).
    """
    text = (text or "").strip()
    if not text:
        raise ActionRefused(_("Write the recommendation."))
    covered = {r.code: r for r in clinic.regencies.all()}
    # Every entry is checked, in the order given, before anything is written.
    new_actions: list[ActionValues] = []
    changes: list[tuple[int, ActionValues | None]] = []  # an existing action's new values, or None to remove it
    for entry in actions:
        if entry.pk is None:
            if not entry.delete:
                new_actions.append(_action_values(clinic.province_id, covered, entry))
        else:
            changes.append((entry.pk, None if entry.delete else _action_values(clinic.province_id, covered, entry)))
    with transaction.atomic():
        if recommendation is None:
            if order is None:
                highest = Recommendation.objects.filter(clinic=clinic).aggregate(n=Max("order"))["n"]
                order = (highest or 0) + 1
            recommendation = Recommendation.objects.create(clinic=clinic, order=order, text=text)
        else:
            if recommendation.clinic_id != clinic.pk:
                raise ActionRefused(_("This recommendation belongs to another clinic."))
            edited: dict[str, object] = {"text": text} if order is None else {"text": text, "order": order}
            recommendation.version = claim_version(Recommendation, pk=recommendation.pk, version=version, values=edited)
            for key, value in edited.items():
                setattr(recommendation, key, value)
        existing = set(FollowUpAction.objects.filter(recommendation=recommendation).values_list("pk", flat=True))
        for pk, fields in changes:
            if pk not in existing:
                raise ActionRefused(_("A follow-up action of this recommendation was removed meanwhile."))
            still_active = FollowUpAction.objects.filter(pk=pk, status__in=ACTIVE)
            if fields is None:
                changed = still_active.delete()[0]
            else:
                changed = audit.update(still_active, **fields, version=F("version") + 1)
            if not changed:
                raise ActionRefused(
                    _("A follow-up action was closed or dropped meanwhile; nothing was saved. Open the page again.")
                )
        audit.bulk_created(
            FollowUpAction.objects.bulk_create(
                FollowUpAction(recommendation=recommendation, **fields) for fields in new_actions
            )
        )
    return recommendation


def delete_recommendation(*, recommendation: Recommendation, actor: User) -> None:
    """Remove a recommendation made by mistake; one with a done or dropped action stays on the record."""
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().filter(pk=recommendation.pk).first()
        if locked is None:
            return
        if FollowUpAction.objects.filter(recommendation=locked, status__in=[*CLOSED, Status.CLOSING]).exists():
            raise ActionRefused(
                _("This recommendation has done or dropped follow-up actions on record; it cannot be removed.")
            )
        locked.delete()


# --- Follow-up actions --------------------------------------------------------------------------------


def _claim(action: FollowUpAction, from_statuses: Iterable[str], **fields: object) -> bool:
    fields["updated_at"] = timezone.now()
    claimed = audit.update(
        FollowUpAction.objects.filter(pk=action.pk, status__in=list(from_statuses)), **fields, version=F("version") + 1
    )
    if claimed:
        action.refresh_from_db(fields=["version"])
        for key, value in fields.items():
            setattr(action, key, value)
    return bool(claimed)


def start_action(*, action: FollowUpAction, actor: User) -> FollowUpAction:
    with transaction.atomic():
        if not _claim(action, [Status.OPEN], status=Status.IN_PROGRESS):
            raise ActionRefused(_("This action is no longer open; the page now shows its current status."))
        review.note(action, review.Action.STARTED, actor=actor)
    return action


def drop_action(*, action: FollowUpAction, actor: User, reason: str) -> FollowUpAction:
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why the action is dropped; the reason stays on the record."))
    with transaction.atomic():
        now = timezone.now()
        claimed = _claim(action, ACTIVE, status=Status.DROPPED, drop_reason=reason, closed_at=now, closed_by=actor)
        if not claimed:
            raise ActionRefused(
                _("This action was closed or dropped meanwhile; the page now shows its current status.")
            )
        review.note(action, review.Action.DROPPED, actor=actor, comment=reason)
    return action
