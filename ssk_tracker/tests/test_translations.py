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
        context = re.search(r'^msgctxt ((?:".*"\n?)+)', block, re.M)
        if context and key:  # pgettext: the .mo keys it as "context\x04msgid"
            key = "".join(re.findall(r'"(.*)"', context.group(1))) + "\x04" + key
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


TRANSLATION_CALLS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}


def translation_calls_inside_f_strings(source: str) -> list[int]:
    """The lines where a translation call sits inside an f-string: xgettext does not read into f-strings, so
    makemessages never puts such a message in the catalogue and users read it in English."""
    import io
    import tokenize

    lines, depth, previous = [], 0, None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.FSTRING_START:
            depth += 1
        elif token.type == tokenize.FSTRING_END:
            depth -= 1
        elif depth and token.string == "(" and previous is not None and previous.string in TRANSLATION_CALLS:
            lines.append(token.start[0])
        previous = token
    return lines


def test_no_message_is_translated_inside_an_f_string():
    root = LOCALE.parents[2]
    found = [
        f"{path.relative_to(root)}:{line}"
        for folder in ("milestones", "regencies", "reports", "ssk_tracker")
        for path in sorted((root / folder).rglob("*.py"))
        for line in translation_calls_inside_f_strings(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_f_string_check_finds_a_call_inside_and_not_outside():
    assert translation_calls_inside_f_strings("x = f\"<td>{escape(_('Late'))}</td>\"\n") == [1]
    assert translation_calls_inside_f_strings('late = _("Late")\nx = f"<td>{late}</td>"\n') == []
