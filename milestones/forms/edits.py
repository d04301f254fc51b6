"""The form side of edit conflicts and double submits (the mechanics: milestones/services/edits.py).

``track_version(form, record)`` gives an edit form two hidden fields: the version it was loaded at and a
signed snapshot of the record as shown. When the service refuses the save (``EditConflict``),
``show_conflict`` keeps everything the user typed, lists field by field what changed meanwhile (the value
now on record, and when, if the record says), and moves the hidden fields to the current version, so the
next save goes through once the user has merged.

``SubmitOnce(request, form)`` gives a create form its one-time token (a fresh one on every render) and
wraps the create in the transaction that uses the token.
"""

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from milestones.services import ActionRefused, edits

VERSION_FIELD = "version"
LOADED_FIELD = "loaded_values"
TOKEN_FIELD = "form_token"
_SNAPSHOT_SALT = "milestones.form-snapshot"
# How many rows of a changed list the message shows.
_ROWS_SHOWN = 5


def _set_data(form: forms.BaseForm, name: str, value: object) -> None:
    """Put a hidden field's value into a bound form's data (what the page renders), keeping the rest."""
    if form.is_bound:
        data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
        data[form.add_prefix(name)] = str(value)
        form.data = data


# --- Versions -----------------------------------------------------------------------------------------


def _display(record: models.Model, field: Any) -> str:
    """A field's value as a user reads it."""
    if field.many_to_many:
        return ", ".join(sorted(str(item) for item in getattr(record, field.name).all())) or "—"
    if field.choices:
        value = getattr(record, f"get_{field.name}_display")()
    else:
        value = getattr(record, field.name)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "isoformat"):
        return formats.localize(value)
    return str(value)


def _row_text(row: models.Model, parent: type[models.Model]) -> str:
    parts = []
    for field in row._meta.concrete_fields:
        if field.primary_key or not field.editable or field.name == VERSION_FIELD:
            continue
        if field.is_relation and field.related_model is parent:
            continue
        text = _display(row, field)
        if text != "—":
            parts.append(text)
    return " · ".join(parts)


def snapshot(record: models.Model, names: Sequence[str], children: Sequence[str] = ()) -> dict[str, str]:
    """What the form shows of the record: each named field and each list of child rows, as text."""
    meta = record._meta
    values = {}
    for name in names:
        values[name] = _display(record, meta.get_field(name))
    for name in children:
        related = getattr(record, name)
        rows = related.order_by("pk")
        values[name] = "; ".join(_row_text(row, type(record)) for row in rows[: _ROWS_SHOWN + 1])
        if len(rows) > _ROWS_SHOWN:
            values[name] += "; …"
    return values


def _tracked_names(form: forms.BaseForm, record: models.Model, extra: Sequence[str]) -> list[str]:
    model_fields = {f.name for f in record._meta.get_fields() if not f.auto_created or f.concrete}
    names = [name for name in form.fields if name in model_fields]
    return names + [name for name in extra if name not in names]


def _label(record: models.Model, name: str) -> str:
    field = record._meta.get_field(name)
    if field.one_to_many and field.related_model is not None:
        return str(capfirst(field.related_model._meta.verbose_name_plural))
    return str(capfirst(getattr(field, "verbose_name", name)))


def _version_of(record: models.Model) -> int:
    """A versioned record's version (every model the forms track has one)."""
    return int(getattr(record, VERSION_FIELD))


def track_version(
    form: forms.BaseForm, record: models.Model | None, *, children: Sequence[str] = (), extra: Sequence[str] = ()
) -> None:
    """Give the edit form of ``record`` its hidden version and snapshot (nothing for a new record).

    ``children``: the related names of the rows saved with the record (shown as lists when they changed);
    ``extra``: model fields the form shows under another name (a file's name, for example).
    """
    if record is None:
        return
    names = _tracked_names(form, record, extra)
    form.version_tracking = (record, names, list(children))  # type: ignore[attr-defined]
    form.fields[VERSION_FIELD] = forms.IntegerField(
        widget=forms.HiddenInput, required=False, initial=_version_of(record)
    )
    loaded = signing.dumps(snapshot(record, names, children), salt=_SNAPSHOT_SALT, compress=True)
    form.fields[LOADED_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, initial=loaded)


def loaded_version(form: forms.BaseForm) -> int:
    """The version the form was loaded at (0 when the page did not send it: then any version is newer)."""
    raw = form.data.get(form.add_prefix(VERSION_FIELD)) if form.is_bound else None
    try:
        return max(int(raw or 0), 0)
    except ValueError:
        return 0


def _loaded_snapshot(form: forms.BaseForm) -> dict[str, str] | None:
    raw = form.data.get(form.add_prefix(LOADED_FIELD)) or ""
    try:
        value = signing.loads(raw, salt=_SNAPSHOT_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, dict) else None


def show_conflict(form: forms.BaseForm, conflict: edits.EditConflict) -> None:
    """Refuse the save on the form: what changed meanwhile, field by field; the form now carries the
    current version, and everything typed stays."""
    record, names, children = form.version_tracking  # type: ignore[attr-defined]
    current = conflict.current
    if current is None:
        form.add_error(None, conflict.message)
        return
    now = snapshot(current, names, children)
    before = _loaded_snapshot(form)
    when = getattr(current, "updated_at", None)
    if when is not None:
        head = _(
            "Someone else saved this record on %(when)s, after you opened the form (it is now version %(version)s)."
        ) % {
            "when": formats.localize(when),
            "version": _version_of(current),
        }
    else:
        head = _("Someone else saved this record after you opened the form (it is now version %(version)s).") % {
            "version": _version_of(current)
        }
    form.add_error(None, head)
    if before is None:
        # The page did not bring back what it showed: list every field with the value now on record.
        changed = list(now)
        form.add_error(None, _("What is on record now:"))
    else:
        changed = [name for name in now if before.get(name) != now[name]]
        if not changed:
            form.add_error(None, _("The fields of this form did not change; the record was saved without changes."))
    for name in changed:
        form.add_error(
            None, _("%(field)s is now: %(value)s") % {"field": _label(current, name), "value": now[name] or "—"}
        )
    form.add_error(
        None,
        _("Nothing of yours was saved. What you typed is still in the form: merge it with the above and save again."),
    )
    _set_data(form, VERSION_FIELD, _version_of(current))
    _set_data(form, LOADED_FIELD, signing.dumps(now, salt=_SNAPSHOT_SALT, compress=True))


# --- One-time tokens ----------------------------------------------------------------------------------


class SubmitOnce:
    """A create form's one-time token: issued with every render, used in the create's transaction."""

    def __init__(self, request: HttpRequest, form: forms.BaseForm) -> None:
        self.request = request
        self.posted = request.POST.get(form.add_prefix(TOKEN_FIELD)) if request.method == "POST" else None
        token = edits.issue_token(request.user)  # type: ignore[arg-type]
        form.fields[TOKEN_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, initial=token)
        # A page shown again (an error, a refused token) carries a fresh token: the posted one was not used.
        _set_data(form, TOKEN_FIELD, token)

        # A POST whose token was used already goes to what the first POST created (see ``repeat_safe``).
        url = edits.earlier_result(self.posted)
        if url is not None:
            raise edits.AlreadySaved(url)

    @contextmanager
    def creating(self) -> Iterator[Callable[[str], None]]:
        """``with once.creating() as done: obj = service(…); done(url)``: the token is used in the same
        transaction. Raises ``edits.TokenRefused`` (an ActionRefused) or ``edits.AlreadySaved``."""
        with transaction.atomic():
            used = edits.use_token(token=self.posted, user=self.request.user)  # type: ignore[arg-type]
            yield lambda url: edits.record_result(used, url)


def repeat_safe[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """For a view with a create form: a repeated POST (double click, back and send again) is sent to
    what the first one created, with a message, instead of creating again."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except edits.AlreadySaved as saved:
            request = args[0]
            assert isinstance(request, HttpRequest)
            messages.info(request, _("This form was already saved (sudah tersimpan); here is the result."))
            return redirect(saved.url or "/")

    return wrapper


def attempt[R](
    form: forms.BaseForm,
    save: Callable[[], R],
    *,
    once: SubmitOnce | None = None,
    url: Callable[[R], str] | None = None,
) -> R | None:
    """Run ``save`` (one service call); a refusal goes on the form as a message and gives None.

    With ``once`` (a create form), the token is used in the same transaction and ``url(result)`` is
    kept for a repeated POST. An ``EditConflict`` is shown field by field (``show_conflict``).
    """
    try:
        if once is None:
            return save()
        with once.creating() as done:
            result = save()
            done(url(result) if url is not None else "")
            return result
    except edits.EditConflict as conflict:
        show_conflict(form, conflict)
    except ActionRefused as refused:
        form.add_error(None, refused.message)
    return None
