"""The audit trail's helpers (django-auditlog): where a change came from, and the writes auditlog's
signals do not see.

- ``source(label)``: a context in which every audit entry written names its page or command
  (the request middleware and ``AuditedCommand`` set it; a Celery task may too).
- ``AuditedCommand``: the base of every management command, so that a command's changes name it.
- ``update(queryset, **fields)``: a conditional ``queryset.update()`` (the race-safe claims of the
  services) that also writes one audit entry per changed row; ``update()`` fires no model signal.
- ``bulk_created(objects)`` / ``bulk_update(manager, objects, fields)`` / ``delete(queryset)``: the same for
  bulk writes (one insert of entries however many rows).
"""

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from auditlog import get_logentry_model
from auditlog.context import auditlog_disabled, auditlog_value, disable_auditlog, set_extra_data
from auditlog.diff import model_instance_diff
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, models
from django.utils.encoding import smart_str

# A label, or a callable that gives it when the entry is written (a request's view is only known then).
type Label = str | Callable[[], str]


@contextlib.contextmanager
def context(data: dict[str, Any]) -> Iterator[None]:
    """auditlog's ``set_extra_data`` (actor, remote address, source …), undone on exit.

    auditlog leaves its context variable set when the block ends: a later write in the same thread (the
    next request of a test client, a command after a request) would read the old actor. This puts the
    enclosing value back, or an empty one.
    """
    outer = auditlog_value.get({})
    try:
        with set_extra_data(context_data=data):
            yield
    finally:
        auditlog_value.set(outer)


@contextlib.contextmanager
def source(label: Label, actor: Any = None) -> Iterator[None]:
    """Every audit entry written inside names ``label`` (and ``actor``, when given) as its origin."""
    with context({"source": label, "actor": actor}):
        yield


class AuditedCommand(BaseCommand):
    """A management command whose changes the audit trail records as ``manage.py <name>``."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        name = type(self).__module__.rsplit(".", 1)[-1]
        with source(f"manage.py {name}"):
            return super().execute(*args, **options)


def _context() -> dict[str, Any]:
    """What the current ``source``/middleware context says: actor, source, remote address."""
    values: dict[str, Any] = dict(auditlog_value.get({}))
    if "signal_duid" not in values:  # outside any context
        return {}
    label = values.get("source")
    values["source"] = label() if callable(label) else (label or "")
    return values


def _enabled(model: type[models.Model]) -> bool:
    return auditlog.contains(model) and not auditlog_disabled.get()


def _entries(action: int, rows: Iterable[tuple[models.Model, dict[str, Any] | None]]) -> None:
    """Write one entry per (instance, changes), as auditlog's own receivers would (actor, source, cid)."""
    from auditlog.cid import get_cid

    entry_model = get_logentry_model()
    context = _context()
    actor = context.get("actor")
    wanted = [(instance, changes) for instance, changes in rows if changes or action != entry_model.Action.UPDATE]
    if not wanted:
        return
    # The rows that say where each instance belongs, loaded once for all of them, not once per row.
    instances = [instance for instance, _changes in wanted]
    models.prefetch_related_objects(instances, *entry_model.objects.region_parents(type(instances[0])))
    made = []
    for instance, changes in wanted:
        regency_id, province_id = entry_model.objects.regions_of(instance)
        made.append(
            entry_model(
                content_type=ContentType.objects.get_for_model(instance),
                object_pk=smart_str(instance.pk),
                object_id=instance.pk if isinstance(instance.pk, int) else None,
                object_repr=smart_str(instance),
                action=action,
                changes=changes,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                actor_email=getattr(actor, "email", None) if actor is not None else None,
                remote_addr=context.get("remote_addr"),
                remote_port=context.get("remote_port"),
                source=context.get("source", ""),
                cid=get_cid(),
                regency_id=regency_id,
                province_id=province_id,
            )
        )
    entry_model.objects.bulk_create(made)


def update[M: models.Model](queryset: models.QuerySet[M], **fields: Any) -> int:
    """``queryset.update(**fields)`` that records each changed row, field by field, before → after.

    Inside a transaction the matched rows are locked first (PostgreSQL; SQLite locks the database on
    the write), so the "before" read is what the update changes; the condition of the claim stays the
    queryset's own: the number of rows changed is returned as ``update()`` returns it.
    """
    model = queryset.model
    if not _enabled(model):
        return queryset.update(**fields)
    reading = queryset.select_for_update(of=("self",)) if connection.in_atomic_block else queryset
    before = {row.pk: row for row in reading}
    changed = queryset.filter(pk__in=list(before)).update(**fields) if before else 0
    if changed:
        after = model._base_manager.filter(pk__in=list(before))
        names = {model._meta.get_field(name).name for name in fields}
        _entries(
            get_logentry_model().Action.UPDATE,
            ((row, model_instance_diff(before[row.pk], row, fields_to_check=names)) for row in after),
        )
    return changed


def delete[M: models.Model](queryset: models.QuerySet[M]) -> int:
    """``queryset.delete()`` recorded with one insert for all the rows (auditlog's receivers write one per
    row). For rows without audited children: a cascade below them would go unrecorded."""
    model = queryset.model
    if not _enabled(model):
        return queryset.delete()[0]
    rows = list(queryset)
    with disable_auditlog():
        deleted = queryset.filter(pk__in=[row.pk for row in rows]).delete()[0] if rows else 0
    _entries(get_logentry_model().Action.DELETE, ((row, model_instance_diff(row, None)) for row in rows))
    return deleted


def bulk_created[M: models.Model](objects: list[M]) -> list[M]:
    """Record rows that ``bulk_create`` wrote (their primary keys set), each with its field values; returns
    them, so that ``audit.bulk_created(Model.objects.bulk_create(rows))`` reads as one write."""
    if objects and _enabled(type(objects[0])):
        written = (obj for obj in objects if obj.pk is not None)
        _entries(get_logentry_model().Action.CREATE, ((obj, model_instance_diff(None, obj)) for obj in written))
    return objects


def bulk_update[M: models.Model](
    manager: models.Manager[M], objects: Sequence[M], fields: Sequence[str], batch_size: int | None = None
) -> int:
    """``manager.bulk_update(objects, fields)`` that records what each row had before."""
    if not objects or not _enabled(manager.model):
        return manager.bulk_update(objects, fields, batch_size=batch_size)
    before = manager.model._base_manager.in_bulk([obj.pk for obj in objects])
    changed = manager.bulk_update(objects, fields, batch_size=batch_size)
    _entries(
        get_logentry_model().Action.UPDATE,
        (
            (obj, model_instance_diff(before[obj.pk], obj, fields_to_check=set(fields)))
            for obj in objects
            if obj.pk in before
        ),
    )
    return changed
