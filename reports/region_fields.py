"""Region choice fields for the report forms: up to 38 provinces or 514 regencies in one <select>.

Django renders each <option> of a ModelChoiceField through its own template include, from a model
instance per row: for a nation-wide user that was 83 % of the Laporan page. ``RegionChoiceField``
validates exactly like a ModelChoiceField (the value is looked up in its queryset), but its choices
come from one ``values_list`` query and ``RegionSelect`` writes every option in one template loop.
Regencies are grouped by province with <optgroup> when there are several provinces.
"""

from collections.abc import Iterable, Iterator
from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper per call
from itertools import groupby
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString, mark_safe

type Option = tuple[str, str]
type Choice = tuple[str, str] | tuple[str, list[Option]]


def attributes(attrs: dict[str, Any]) -> str:
    """The attributes as django/forms/widgets/attrs.html writes them, in their order (flatatt sorts them
    and moves the boolean ones last): True gives the bare name, False and None nothing."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class RegionChoices(BaseChoiceIterator):
    """The field's choices, computed once per render from plain rows (lazy, like ModelChoiceIterator:
    a BaseChoiceIterator, so that assigning it to a widget does not run the query)."""

    def __init__(self, field: "RegionChoiceField") -> None:
        self.field = field
        self._choices: list[Choice] | None = None

    def _load(self) -> list[Choice]:
        if self._choices is None:
            field = self.field
            key = field.to_field_name or "pk"
            queryset = field.queryset
            assert queryset is not None, "the form sets the field's queryset before rendering it"
            if field.group_by:
                rows = queryset.order_by(field.group_by, key).values_list(key, field.label_field, field.group_by)
                self._choices = self._grouped([(str(v), label, group) for v, label, group in rows])
            else:
                self._choices = [(str(v), label) for v, label in queryset.values_list(key, field.label_field)]
        return self._choices

    @staticmethod
    def _grouped(rows: list[tuple[str, str, str]]) -> list[Choice]:
        groups = [(group, [(v, label) for v, label, _ in members]) for group, members in groupby(rows, lambda r: r[2])]
        if len(groups) == 1:  # one province: its regencies need no heading
            return list(groups[0][1])
        return list(groups)

    def __iter__(self) -> Iterator[Choice]:
        if self.field.empty_label is not None:
            yield ("", str(self.field.empty_label))
        yield from self._load()

    def __len__(self) -> int:
        return len(self._load()) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self._load())


class RegionSelect(forms.Select):
    """A <select> written in one pass over (value, label) pairs, regencies in <optgroup>s.

    Written in Python rather than a template: the default form renderer does not search the project's
    template directories, and a string join over 600 options costs a fraction of a template loop."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        context = forms.Widget.get_context(self, name, value, attrs)  # not ChoiceWidget's dict per option
        selected = {str(v) for v in context["widget"]["value"]}

        def options(pairs: Iterable[Option]) -> str:
            return "".join(
                f'<option value="{escape(v)}"{" selected" if v in selected else ""}>{escape(label)}</option>'
                for v, label in pairs
            )

        parts = [f'<select name="{escape(name)}"{flatatt(context["widget"]["attrs"])}>']
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(option_value)}">{options(label)}</optgroup>')
            else:
                parts.append(options([(str(option_value), str(label))]))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every value and label is escaped above


class PlainDateInput(forms.DateInput):
    """A date <input> written by one f-string: the same markup as Django's input.html and attrs.html,
    which cost two template renders per field on every visit of the Laporan page."""

    input_type = "date"

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
        return mark_safe(  # noqa: S308 — the name, value and attributes are escaped
            f'<input type="{escape(widget["type"])}" name="{escape(name)}"{shown}{attributes(widget["attrs"])}>'
        )


class RegionChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over regions with cheap choices: ``label_field`` shown, grouped by ``group_by``."""

    widget = RegionSelect
    iterator = RegionChoices  # type: ignore[assignment]  # not a ModelChoiceIterator: plain (value, label)s

    def __init__(self, *args: Any, label_field: str = "name", group_by: str | None = None, **kwargs: Any) -> None:
        self.label_field = label_field
        self.group_by = group_by
        super().__init__(*args, **kwargs)
