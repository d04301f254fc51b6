"""Limits on what one form submission may upload, checked before any field is cleaned (so before a
file is sniffed, parsed or stored): at most ``UPLOAD_MAX_FILES`` files, ``UPLOAD_MAX_TOTAL_BYTES`` together.

Every form with a file field mixes it in. It counts every file of the request, not only the form's own
fields: a hand-made request with extra file parts is held to the same limits.
"""

from typing import Any

from django import forms
from django.forms.utils import ErrorDict

from milestones import evidence


class UploadLimitsMixin:
    """For a ``forms.Form`` or ``forms.ModelForm`` with at least one FileField."""

    def full_clean(self: Any) -> None:
        files = [f for name in (self.files or {}) for f in self.files.getlist(name)] if self.is_bound else []
        refusal = evidence.check_batch(files)
        if refusal is None:
            super().full_clean()  # type: ignore[misc]
            return
        # Nothing of this submission is looked at further: its files are neither read nor stored.
        self._errors = ErrorDict(renderer=self.renderer)
        self.cleaned_data: dict[str, Any] = {}
        file_fields = [name for name, field in self.fields.items() if isinstance(field, forms.FileField)]
        self.add_error(file_fields[0] if file_fields else None, refusal)
