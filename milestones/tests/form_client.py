"""A test client that sends a form as a browser does: with the hidden fields the form page gave it.

``client.submit(url, data)`` opens the form page first and adds its one-time token and the version the
record was loaded at (milestones/forms/edits.py) to ``data`` (``data`` wins where both have a value).
``client.post`` stays a bare POST, as a script or an attacker would send it.
"""

from html.parser import HTMLParser

from django.test import Client

from milestones.forms.edits import LOADED_FIELD, TOKEN_FIELD, VERSION_FIELD

MARKS = (TOKEN_FIELD, VERSION_FIELD, LOADED_FIELD)


class _HiddenMarks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name") in MARKS:
            self.values.setdefault(found["name"], found.get("value") or "")


class _FormValues(HTMLParser):
    """What a browser would send for each POST form of a page (no files, no buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None

    def _add(self, name, value):
        self.forms[-1].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "form" and (found.get("method") or "").lower() == "post":
            self.forms.append({})
            self.inside = True
        if not self.inside or not found.get("name"):
            if tag == "option" and self.select and "selected" in found:
                self._add(self.select, found.get("value") or "")
            return
        name = found["name"]
        kind = found.get("type", "text")
        if tag == "input" and kind not in ("file", "submit", "button", "checkbox", "radio"):
            self._add(name, found.get("value") or "")
        elif tag == "input" and kind in ("checkbox", "radio") and "checked" in found:
            self._add(name, found.get("value") or "on")
        elif tag == "select":
            self.select = name
        elif tag == "textarea":
            self.textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "select":
            self.select = None
        if tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.inside:
            values = self.forms[-1][self.textarea]
            # A browser drops the newline right after <textarea>.
            values[-1] += data if values[-1] else data.removeprefix("\n")


def form_values(html: str) -> dict[str, list[str]]:
    """The fields of the page's form that carries a token or a version."""
    parser = _FormValues()
    parser.feed(html)
    marked = [form for form in parser.forms if any(mark in form for mark in MARKS)]
    assert marked, "no form with a token or a version on the page"
    return marked[0]


def hidden_marks(html: str) -> dict[str, str]:
    """The token and version fields of the first form that has them."""
    parser = _HiddenMarks()
    parser.feed(html)
    return parser.values


class FormClient(Client):
    def marks(self, url: str) -> dict[str, str]:
        page = self.get(url)
        return hidden_marks(page.content.decode()) if page.status_code == 200 else {}

    def open_form(self, url: str) -> dict[str, list[str]]:
        """The form page's fields as a browser would send them, to change and ``post``."""
        page = self.get(url)
        assert page.status_code == 200, page.status_code
        return form_values(page.content.decode())

    def submit(self, url, data=None, **extra):
        return self.post(url, {**self.marks(url), **(data or {})}, **extra)
