"""A test client that sends a form as a browser does: with the hidden fields the form page gave it.

``client.submit(url, data)`` opens the form page first and adds its one-time token and the version the
record was loaded at (milestones/forms/edits.py) to ``data`` (``data`` wins where both have a value).
``client.post`` stays a bare POST, as a script or an attacker would send it.
"""

from html.parser import HTMLParser

from django.test import Client

from milestones.forms.edits import LOADED_FIELD, TOKEN_FIELD, VERSION_FIELD
from milestones.loadtest.client import post_forms

MARKS = (TOKEN_FIELD, VERSION_FIELD, LOADED_FIELD)


class _HiddenMarks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name") in MARKS:
            self.values.setdefault(found["name"], found.get("value") or "")


def form_values(html: str) -> dict[str, list[str]]:
    """The fields of the page's form that carries a token or a version."""
    marked = [form for form in post_forms(html) if any(mark in form for mark in MARKS)]
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
