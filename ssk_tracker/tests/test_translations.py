"""The Indonesian catalogue is complete and its compiled .mo matches the .po (no compile step at set-up)."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "id" / "LC_MESSAGES"


def po_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""\n"Project' not in block:
            entries.append(("FUZZY", block))
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid:
            continue
        key = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        context = re.search(r'^msgctxt "(.*)"', block, re.M)
        if key and context:  # pgettext: the compiled catalogue keys it as "context\x04msgid"
            key = f"{context.group(1)}\x04{key}"
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        value = "".join(re.findall(r'"(.*)"', strs[0])) if strs else ""
        if key:
            entries.append((key, value))
    return entries


def test_every_message_has_an_indonesian_translation():
    untranslated = [key for key, value in po_entries() if not value]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = [
        key
        for key, value in po_entries()
        if key != "FUZZY" and "\\" not in key and compiled.get(key, compiled.get((key, 0))) != value
    ]
    assert stale == [], "locale/id/LC_MESSAGES/django.mo is older than django.po: compile it again"
