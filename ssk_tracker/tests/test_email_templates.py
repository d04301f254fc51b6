"""Plain-text e-mails show names as typed (no HTML entities); HTML e-mails still escape them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import get_template

HOSTILE = 'Kab. "Barito" & Timur <b>'
EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
TEXT_TEMPLATES = sorted(p.name for p in EMAILS.glob("*.txt"))
HTML_TEMPLATES = sorted(p.name for p in EMAILS.glob("*.html"))


_DATE_PARTS = {"year", "month", "day", "hour", "minute", "second", "tzinfo", "utcoffset", "timetuple", "weekday"}


class Hostile:
    """Whatever a template asks of it (an attribute, a method, an item, a loop), a name with markup in it."""

    def __getattr__(self, name):
        if name.startswith("__") or name in _DATE_PARTS:  # not a date: the |date filter shows nothing
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __iter__(self):
        return iter([self])

    def __len__(self):
        return 1

    def __bool__(self):
        return True

    def __str__(self):
        return HOSTILE


def _variables(source: str) -> set[str]:
    """The top-level names a template uses: {{ x… }}, {% if x %}, {% for a in x %}, with x=… in blocktranslate."""
    import re

    names = set(re.findall(r"{{\s*(\w+)", source))
    names |= set(re.findall(r"{%\s*(?:if|elif|for \w+ in)\s+(?:not\s+)?(\w+)", source))
    names |= set(re.findall(r"\w+=(\w+)", source))
    return names - {"not", "and", "or", "True", "False", "None", "i18n", "count", "counter"}


def _render(name: str) -> str:
    template = get_template(f"emails/{name}")
    source = (EMAILS / name).read_text(encoding="utf-8")
    context = {variable: Hostile() for variable in _variables(source)}
    return template.render({**context, "count": 2})


def test_there_are_plain_text_templates():
    assert {"update_submitted_body.txt", "scheduled_report_body.txt", "reminder_digest_body.txt"} <= set(TEXT_TEMPLATES)


@pytest.mark.parametrize("name", TEXT_TEMPLATES)
def test_every_plain_text_template_switches_autoescape_off(name):
    source = (EMAILS / name).read_text(encoding="utf-8")
    assert source.startswith("{% load i18n %}{% autoescape off %}") and source.rstrip().endswith("{% endautoescape %}")


@pytest.mark.parametrize("name", [n for n in TEXT_TEMPLATES if "body" in n or "subject" in n])
def test_plain_text_shows_quotes_ampersands_and_brackets_as_typed(name):
    text = _render(name)
    if _variables((EMAILS / name).read_text(encoding="utf-8")):
        assert HOSTILE in text, name
    assert "&quot;" not in text and "&amp;" not in text and "&lt;" not in text and "&#x27;" not in text


@pytest.mark.parametrize("name", HTML_TEMPLATES)
def test_html_mail_still_escapes(name):
    html = _render(name)
    assert HOSTILE not in html
    assert "&quot;Barito&quot; &amp; Timur &lt;b&gt;" in html


def test_without_the_fix_the_text_would_show_entities():
    """The check above can fail: the same text through an escaping template shows &quot;."""
    assert "&quot;" in Template("{{ name }}").render(Context({"name": HOSTILE}))
