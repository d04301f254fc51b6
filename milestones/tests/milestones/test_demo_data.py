"""The demo's data files (milestones/demo/data): they load, and a mistake in one names its file and entry."""

import datetime
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from milestones import evidence
from milestones.demo import loader
from milestones.demo.clinics import load_clinics
from milestones.demo.documents import load_documents
from milestones.demo.loader import DemoDataError, demo_pdf, demo_png
from milestones.demo.milestones import load_officers, load_stories
from milestones.demo.monitoring import load_records
from milestones.demo.nawasis import load_submissions
from milestones.demo.planning import load_planning
from regencies.models import Regency

# The demo seeds a database as a fresh migration leaves it (run.sh seeds one just migrated).
pytestmark = pytest.mark.empty_database


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A copy of the data files that a test may spoil: ``data(name, old, new)`` replaces text in one."""
    for path in loader.DATA.glob("*.toml"):
        shutil.copy(path, tmp_path)
    monkeypatch.setattr(loader, "DATA", tmp_path)

    def spoil(name: str, old: str, new: str) -> None:
        path = tmp_path / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))

    return spoil


def test_every_data_file_loads():
    stories = load_stories()
    assert [story.regency for story in stories] == [
        "62.04",
        "62.08",
        "62.13",
        "62.12",
        "62.10",
        "62.05",
        "62.03",
        "62.07",
        "62.06",
        "62.11",
    ]
    assert len(load_officers()) == 7
    clinics = load_clinics()
    assert [clinic.number for clinic in clinics] == [1, 2, 2, 3, 4, 5, 6, 7, 6, 4]
    assert sum(len(rec.actions) for clinic in clinics for rec in clinic.recommendations) == 41
    documents, packages = load_documents()
    assert (len(documents), len(packages)) == (3, 2)
    assert len(load_planning().activities) == 20
    assert len(load_submissions()) == 20
    assert len(load_records()) == 20


def test_a_relative_time_counts_back_from_the_demos_day(monkeypatch):
    monkeypatch.setattr(loader, "_today", datetime.date(2026, 12, 2))
    kapuas = load_stories()[6]
    assert str(kapuas.reports[-1].submitted) == "2026-11-16 15:10:00+07:00"  # "-16d 15:10"
    monkeypatch.setattr(loader, "_today", datetime.date(2027, 3, 10))
    assert str(load_stories()[6].reports[-1].submitted) == "2027-02-22 15:10:00+07:00"
    seruyan_clinic = load_clinics()[-2]
    assert seruyan_clinic.date == datetime.date(2027, 1, 24)  # "-45d"
    assert seruyan_clinic.recommendations[0].actions[2].due == datetime.date(2027, 4, 4)  # "+25d"


@pytest.mark.parametrize(
    ("written", "expected"),
    [('"-9 days 10:30"', "a date and time"), ('"+3d 10:00"', "a date and time"), ('"-9d"', "a date and time")],
)
def test_a_relative_time_that_is_not_one_is_refused(data, written, expected):
    data("stories_2025.toml", 'submitted = "-16d 15:10"', f"submitted = {written}")
    with pytest.raises(
        DemoDataError, match=rf"^stories_2025.toml: story 1 \(62.03\), report 6: submitted = .* is not {expected}"
    ):
        load_stories()


def test_a_relative_date_with_a_time_is_refused(data):
    data("clinics_2026.toml", 'date = "-45d"', 'date = "-45d 10:00"')
    with pytest.raises(
        DemoDataError, match=r"^clinics_2026.toml: clinic 1 \(CC6\): date = .* is not a date \(2023-06-23, or"
    ):
        load_clinics()


def test_seed_demo_refuses_a_day_before_its_fixed_history_ends(db):
    with pytest.raises(CommandError, match="cannot end before 2026-10-01"):
        call_command("seed_demo", "--today", "2025-01-01")
    with pytest.raises(CommandError, match="is not a date"):
        call_command("seed_demo", "--today", "2 Desember 2026")
    assert not Regency.objects.exists()


def test_times_are_wib_and_long_texts_are_joined_without_the_line_breaks():
    murung_raya = load_stories()[3]
    report = murung_raya.reports[1]
    assert str(report.returned) == "2022-06-20 09:40:00+07:00"
    assert report.reason.startswith("Instrumen hukum belum ada: mohon unggah SK Bupati penetapan paket kebijakan yang ")
    assert "\n" not in report.reason and "\\" not in report.reason and "  " not in report.reason
    cc6 = next(clinic for clinic in load_clinics() if clinic.date == datetime.date(2023, 6, 23))
    assert cc6.minutes.split("\n")[:2] == ["Berita acara Coaching Clinic 6 Barito Timur dan Murung Raya", ""]


def test_a_misspelt_key_names_the_file_and_the_entry(data):
    data("stories_2022.toml", "reason = ", "reson = ")
    with pytest.raises(DemoDataError) as error:
        load_stories()
    message = str(error.value)
    assert message.startswith("stories_2022.toml: story 2 (62.12), report 2: unknown key 'reson'")
    assert "Report takes milestone, drafted" in message


def test_a_missing_key_names_the_file_and_the_entry(data):
    data("officers.toml", 'username = "petugas.kapuas"\n', "")
    with pytest.raises(DemoDataError, match=r"^officers.toml: officer 3: missing key 'username'"):
        load_officers()


def test_a_value_of_the_wrong_kind_is_refused(data):
    data("nawasis.toml", "submitted_on = 2022-03-28", 'submitted_on = "28 Maret 2022"')
    with pytest.raises(DemoDataError, match=r"^nawasis.toml: submission 1 \(62.13\): submitted_on = .* is not a date"):
        load_submissions()


def test_a_code_the_application_does_not_know_is_refused(data):
    data("clinics_2023.toml", 'status = "dropped"', 'status = "batal"')
    with pytest.raises(DemoDataError) as error:
        load_clinics()
    assert str(error.value).startswith(
        "clinics_2023.toml: clinic 1 (CC6), recommendation 2, action 5: status: 'batal' is not one of open,"
    )


def test_a_funding_source_the_application_does_not_know_is_refused(data):
    data("planning.toml", "funding = { apbn = 6500", "funding = { apbnn = 6500")
    with pytest.raises(DemoDataError, match=r"^planning.toml: activity 1 \(62.13 AL-01\): funding: 'apbnn' is not"):
        load_planning()


def test_a_report_decided_before_it_was_submitted_is_refused(data):
    data("stories_2025.toml", "submitted = 2025-07-21 16:00:00\n", "")
    with pytest.raises(
        DemoDataError, match=r"^stories_2025.toml: story 2 \(62.07\), report 2: .*only after it is submitted"
    ):
        load_stories()


def test_a_participant_who_is_not_in_the_group_is_refused(data):
    data(
        "clinics_2022.toml",
        '    "Kepala Bappeda Kabupaten Barito Timur",',
        '    "Kepala Bapeda Kabupaten Barito Timur",',
    )
    with pytest.raises(DemoDataError, match=r"^clinics_2022.toml: clinic 1 \(CC1\), participants 3: 'Kepala Bapeda"):
        load_clinics()


def test_a_file_that_is_not_toml_names_itself(data):
    data("documents.toml", "period_start = 2022", "period_start = 2022 2023")
    with pytest.raises(DemoDataError, match=r"^documents.toml: "):
        load_documents()


def test_seed_demo_with_a_spoilt_file_writes_nothing(data, db):
    data("officers.toml", "full_name = ", "fullname = ")
    with pytest.raises(DemoDataError, match="officers.toml: officer 1: unknown key 'fullname'"):
        call_command("seed_demo")
    assert not Regency.objects.exists()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_generated_pdf_is_readable(tmp_path):
    path = tmp_path / "demo.pdf"
    path.write_bytes(demo_pdf(["Surat pernyataan komitmen (contoh)", "Kabupaten Barito Timur – M1"]))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Surat pernyataan komitmen (contoh)" in text and "Barito Timur – M1" in text


def test_the_generated_png_is_identified_as_png():
    assert evidence.identify(SimpleUploadedFile("foto.png", demo_png("x"))) == evidence.PNG
