"""The Content-Security-Policy allows no inline code: no template (nor HTML built in Python) may carry a
<script> body, an on…= handler or a style="" attribute, or the browser blocks it. E-mails are not pages."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from milestones.charts import milestone_status_chart
from ssk_tracker.lib.formatting import width_class

ROOT = Path(__file__).resolve().parents[2]
PAGE_TEMPLATES = sorted(
    path
    for folder in ("templates", "milestones", "reports", "regencies", "ssk_tracker")
    for path in (ROOT / folder).rglob("*.html")
    if "emails" not in path.parts
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def test_the_scan_finds_templates():
    assert len(PAGE_TEMPLATES) > 50


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_carries_inline_code(path):
    text = path.read_text(encoding="utf-8")
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("on…= handler", HANDLER),
        ('style="" attribute', STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
    ]:
        found = pattern.search(text)
        assert not found, (
            f"{name} at line {text[: found.start()].count(chr(10)) + 1}: {text[found.start() : found.end() + 40]!r}"
        )


def test_the_patterns_catch_what_they_should():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>") and not INLINE_SCRIPT.search('<script src="a.js" defer>')
    assert HANDLER.search('<form onsubmit="return x()">') and not HANDLER.search('<div data-confirm="x">')
    assert STYLE_ATTRIBUTE.search('<div style="width: 5%">') and not STYLE_ATTRIBUTE.search('<div class="w-pct-5">')


def test_the_chart_draws_with_presentation_attributes_only():
    root = ET.fromstring(milestone_status_chart({1: {"verified": 3, "in_progress": 1}}))
    assert [element.tag for element in root.iter() if "style" in element.attrib] == []
    assert not STYLE_ELEMENT.search(milestone_status_chart({}))


@pytest.mark.parametrize(
    "value, expected",
    [(0, "w-pct-0"), (37, "w-pct-37"), (Decimal("62.5"), "w-pct-63"), ("12.4", "w-pct-12"), (100, "w-pct-100")]
    + [(Decimal("140.2"), "w-pct-100"), (-3, "w-pct-0"), (None, "w-pct-0"), ("", "w-pct-0"), ("x", "w-pct-0")],
)
def test_a_bar_width_is_a_class_within_0_and_100(value, expected):
    assert width_class(value) == expected


def test_every_width_class_has_its_rule():
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    for n in range(101):
        assert f".w-pct-{n} {{ width: {n}%; }}" in css


def test_a_progress_bar_gets_its_width_from_a_class(client, bartim, officer_bartim, pokja_kalteng):
    from milestones.tests import builders

    milestone = builders.milestone(bartim, 4)
    builders.approved(milestone, officer_bartim, pokja_kalteng, progress=70)
    client.force_login(officer_bartim)
    html = client.get(milestone.get_absolute_url()).content.decode()
    assert 'class="progress-bar bg-success w-pct-70"' in html
    assert "style=" not in html
