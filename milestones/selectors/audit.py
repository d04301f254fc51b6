"""Reads for the audit-trail page: the entries, filtered and newest first, and their changes in words.

A page's query count does not grow with its rows: the entries come with their actor, model, regency
and province (``select_related``), and the foreign keys named in the changes are looked up once per
related model for the whole page.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from milestones.audit import AUDITED
from milestones.models import AuditEntry

# Longer values are shortened on the page (a narrative or a reason can run to pages).
SHORTEN_AT = 120
EMPTY = "—"


@dataclass(frozen=True)
class AuditFilter:
    regency_code: str | None = None
    province_code: str | None = None
    actor_id: int | None = None
    content_type_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def audited_content_types() -> list[ContentType]:
    """The models the trail records, by their (translated) name, for the model filter."""
    by_model = ContentType.objects.get_for_models(*(apps.get_model(label) for label in AUDITED))
    return sorted(by_model.values(), key=lambda ct: str(model_name(ct)).lower())


def model_name(content_type: ContentType) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else content_type.model


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entries(criteria: AuditFilter) -> QuerySet[AuditEntry]:
    """The entries that match, newest first, with what a row of the page shows."""
    found: QuerySet[AuditEntry] = AuditEntry.objects.select_related("actor", "content_type", "regency", "province")
    if criteria.regency_code:
        found = found.filter(regency_id=criteria.regency_code)
    if criteria.province_code:
        found = found.filter(province_id=criteria.province_code)
    if criteria.actor_id:
        found = found.filter(actor_id=criteria.actor_id)
    if criteria.content_type_id:
        found = found.filter(content_type_id=criteria.content_type_id)
    if criteria.date_from:
        found = found.filter(timestamp__gte=_day_start(criteria.date_from))
    if criteria.date_to:  # the whole of the last day
        found = found.filter(timestamp__lt=_day_start(criteria.date_to + datetime.timedelta(days=1)))
    return found.order_by("-timestamp", "-id")


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class AuditRow:
    entry: AuditEntry
    model_name: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        # Our own words: auditlog's "update" would take the project's translation of a milestone update.
        labels = {
            AuditEntry.Action.CREATE: pgettext("audit action", "created"),
            AuditEntry.Action.UPDATE: pgettext("audit action", "changed"),
            AuditEntry.Action.DELETE: pgettext("audit action", "deleted"),
        }
        return labels.get(self.entry.action, str(self.entry.get_action_display()))


def _shorten(value: str) -> str:
    return value if len(value) <= SHORTEN_AT else value[: SHORTEN_AT - 1] + "…"


def _plain(value: Any) -> str:
    return EMPTY if value in (None, "None", "") else _shorten(str(value))


def _formatted(model_field: Any, value: Any) -> str:
    """A stored value (auditlog keeps text) as the rest of the site shows it: local time, "50,00"."""
    if value in (None, "None", ""):
        return EMPTY
    try:
        if isinstance(model_field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(str(value))
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        if isinstance(model_field, models.DateField):
            return formats.date_format(datetime.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        if isinstance(model_field, models.DecimalField):
            return formats.number_format(Decimal(str(value)), use_l10n=True, force_grouping=True)
    except (ValueError, ArithmeticError):
        pass
    return _plain(value)


class _Pending:
    """A change's foreign-key values, filled in once the page's related rows are loaded."""

    def __init__(self, change: FieldChange, related: type[models.Model], before: Any, after: Any) -> None:
        self.change, self.related, self.before, self.after = change, related, before, after


def _key(related: type[models.Model], value: Any) -> Any:
    if value in (None, "None", ""):
        return None
    try:
        return related._meta.pk.to_python(value)
    except ValidationError:
        return None


def rows(page_entries: list[AuditEntry]) -> list[AuditRow]:
    """Each entry with its changes as (field label, before, after) in words: choices by their label,
    foreign keys by the related row's name (or "#id" when it no longer exists)."""
    result: list[AuditRow] = []
    pending: list[_Pending] = []
    for entry in page_entries:
        model = entry.content_type.model_class()
        row = AuditRow(entry, model_name(entry.content_type))
        for name, values in (entry.changes or {}).items():
            try:
                model_field = model._meta.get_field(name) if model is not None else None
            except FieldDoesNotExist:
                model_field = None
            if model_field is not None and (not model_field.concrete and not model_field.many_to_many):
                continue  # a reverse relation auditlog lists on creation ("history: None")
            if model_field is not None and getattr(model_field, "primary_key", False):
                continue  # the row is named in the "What" column
            label = str(getattr(model_field, "verbose_name", name))
            if isinstance(values, dict):  # a many-to-many addition or removal
                objects = _shorten(", ".join(values.get("objects", [])))
                added = values.get("operation") == "add"
                row.changes.append(FieldChange(label, EMPTY if added else objects, objects if added else EMPTY))
                continue
            before, after = (list(values) + [None, None])[:2]
            flat = getattr(model_field, "flatchoices", None) if getattr(model_field, "choices", None) else None
            choices = dict(flat) if flat else None
            if choices:
                change = FieldChange(label, _plain(choices.get(before, before)), _plain(choices.get(after, after)))
            elif isinstance(model_field, models.ForeignKey) and model_field.related_model is not None:
                change = FieldChange(label, _plain(before), _plain(after))
                pending.append(_Pending(change, model_field.related_model, before, after))
            elif isinstance(model_field, models.BooleanField):
                yes_no = {"True": _("yes"), "False": _("no")}
                change = FieldChange(label, _plain(yes_no.get(before, before)), _plain(yes_no.get(after, after)))
            else:
                change = FieldChange(label, _formatted(model_field, before), _formatted(model_field, after))
            if change.before == change.after == EMPTY:
                continue  # created empty: nothing to show
            row.changes.append(change)
        result.append(row)
    _name_related(pending)
    return result


def _name_related(pending: list[_Pending]) -> None:
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for item in pending:
        for value in (item.before, item.after):
            key = _key(item.related, value)
            if key is not None:
                wanted[item.related].add(key)
    names: dict[type[models.Model], dict[Any, str]] = {}
    for related, keys in wanted.items():
        names[related] = {pk: str(obj) for pk, obj in related._base_manager.in_bulk(list(keys)).items()}
    for item in pending:
        for attribute, value in (("before", item.before), ("after", item.after)):
            key = _key(item.related, value)
            if key is not None:
                setattr(item.change, attribute, _shorten(names[item.related].get(key, f"#{key}")))
