"""The words of docs/GLOSSARY.md hold across the catalogue: a milestone update is a "laporan kemajuan" and never a
bare "laporan", a PDF report is a "laporan PDF" where the two could meet, a follow-up action a "tindak lanjut";
and the wrong-password message no longer says "nama pengguna nama pengguna"."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from ssk_tracker.tests.test_translations import po_entries

UPDATE_NOUN = re.compile(r"\bupdates?\b(?! (the|it|its)\b)", re.I)  # "update" the noun, not "Update the …"


def test_a_milestone_update_is_never_a_bare_laporan():
    wrong = [
        (msgid, msgstr)
        for msgid, msgstr in po_entries()
        if UPDATE_NOUN.search(msgid)
        and re.search(r"\blaporan\b(?! kemajuan)", msgstr.split("laporan kemajuan")[0], re.I)
    ]
    assert not wrong, wrong


def test_a_pdf_report_is_never_a_laporan_kemajuan():
    wrong = [
        (msgid, msgstr)
        for msgid, msgstr in po_entries()
        if re.search(r"\breports?\b", msgid, re.I)
        and not UPDATE_NOUN.search(msgid)
        and "laporan kemajuan" in msgstr.lower()
    ]
    assert not wrong, wrong


@pytest.mark.parametrize(
    "english, indonesian",
    [
        ("Milestone update", "Laporan kemajuan milestone"),  # the update form's heading
        ("Updates", "Laporan kemajuan"),
        ("Updates waiting for review", "Laporan kemajuan yang menunggu reviu"),
        ("Reports", "Laporan PDF"),  # the navigation's entry
        ("Reports received, to acknowledge", "Laporan PDF diterima, perlu dikonfirmasi"),
    ],
)
def test_the_two_laporan_are_told_apart(english, indonesian):
    with translation.override("id"):
        assert gettext(english) == indonesian


def test_a_follow_up_action_is_a_tindak_lanjut_and_a_log_entry_s_action_a_tindakan():
    from milestones.models import FollowUpAction

    with translation.override("id"):
        assert pgettext("follow-up", "action") == "tindak lanjut"
        assert gettext("action") == "tindakan"
        assert str(FollowUpAction._meta.get_field("description").verbose_name) == "tindak lanjut"


def test_the_wrong_password_message_names_the_fields_once(client, officer_bartim):
    page = client.post(reverse("login"), {"username": "officer_bartim", "password": "wrong"}).content.decode()
    assert "Nama pengguna atau kata sandi salah" in page
    assert "nama pengguna nama pengguna" not in page.lower()
