import datetime
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from milestones import evidence
from milestones.demo.milestones import demo_pdf, demo_png, seed_milestones
from milestones.models import Blob, Cohort, Evidence, HistoryEntry, Milestone, MilestoneUpdate
from regencies import demo as regions_demo

WIB = ZoneInfo("Asia/Jakarta")
MODELS = [Cohort, Milestone, MilestoneUpdate, HistoryEntry, Evidence, Blob, get_user_model()]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(db):
    balai = regions_demo.seed_organisations()
    regions_demo.seed_users(balai)
    seed_milestones()


def milestones_of(code, year):
    return {m.definition.number: m for m in Milestone.objects.filter(regency=code, cohort__year_m1_m3=year)}


def test_running_it_twice_creates_nothing_new(seeded):
    before = counts()
    assert seed_milestones() == []
    assert counts() == before
    assert before["Cohort"] == 8


def test_barito_timur_has_m1_to_m3_verified_in_2022_and_m4_waiting_for_review(seeded):
    cohort = Cohort.objects.get(regency="62.13", year_m1_m3=2022)
    assert cohort.year_m4 == 2023 and cohort.decree_number.startswith("DEMO/")
    milestones = milestones_of("62.13", 2022)
    for number in (1, 2, 3):
        assert milestones[number].status == Milestone.Status.VERIFIED
        assert milestones[number].progress == 100
        assert milestones[number].actual_date.year == 2022
    m4 = milestones[4]
    assert m4.status == Milestone.Status.SUBMITTED
    assert 60 <= m4.progress <= 70  # the approved update's progress, until the waiting one is decided
    waiting = m4.updates.get(status=MilestoneUpdate.Status.SUBMITTED)
    assert waiting.submitted_at.astimezone(WIB).date() == datetime.date(2023, 6, 16)
    assert waiting.author.username == "petugas.bartim"
    assert m4.updates.filter(status=MilestoneUpdate.Status.APPROVED, decided_by__username="pokja.kalteng").exists()


def test_murung_raya_has_a_returned_m4_update_with_its_reason(seeded):
    m4 = milestones_of("62.12", 2022)[4]
    assert m4.status == Milestone.Status.NEEDS_REVISION
    returned = m4.updates.get(status=MilestoneUpdate.Status.RETURNED)
    assert "UPTD" in returned.return_reason and "cakupan layanan" in returned.return_reason
    entry = m4.history.get(action=HistoryEntry.Action.RETURNED)
    assert entry.comment == returned.return_reason
    assert entry.at.astimezone(WIB).date() == datetime.date(2023, 6, 26)


def test_every_update_status_appears(seeded):
    statuses = set(MilestoneUpdate.objects.values_list("status", flat=True))
    assert statuses == set(MilestoneUpdate.Status.values)


def test_other_regencies_are_at_their_stages(seeded):
    for code in ("62.04", "62.08"):
        milestones = milestones_of(code, 2021)
        assert all(m.status == Milestone.Status.VERIFIED for m in milestones.values())
        assert milestones[4].actual_date.year == 2022
    for code in ("62.10", "62.05"):
        milestones = milestones_of(code, 2024)
        assert [milestones[n].status for n in (1, 2, 3)] == [Milestone.Status.VERIFIED] * 3
        assert milestones[4].status == Milestone.Status.IN_PROGRESS and 0 < milestones[4].progress < 100
    kapuas = milestones_of("62.03", 2025)
    assert [kapuas[n].status for n in (1, 2, 3, 4)] == ["verified", "submitted", "in_progress", "not_started"]
    seruyan = milestones_of("62.07", 2025)
    assert seruyan[1].actual_date > seruyan[1].planned_date
    assert seruyan[2].is_late(today=datetime.date(2025, 9, 1))


def test_history_is_dated_in_the_story_not_today(seeded):
    assert HistoryEntry.objects.filter(at__gte=datetime.datetime(2026, 1, 1, tzinfo=WIB)).count() == 0
    for update in MilestoneUpdate.objects.all():
        submitted = update.submitted_at or update.created_at
        assert update.created_at <= submitted <= (update.decided_at or update.updated_at)
    assert Evidence.objects.filter(uploaded_at__gte=datetime.datetime(2026, 1, 1, tzinfo=WIB)).count() == 0


def test_each_update_is_the_regency_officers_and_reviewed_by_the_province(seeded):
    for update in MilestoneUpdate.objects.select_related("author__ssk_role", "decided_by", "milestone"):
        assert update.author.ssk_role.regency_id == update.milestone.regency_id
        assert update.decided_by is None or update.decided_by.username == "pokja.kalteng"


def test_evidence_files_are_accepted_pdfs_and_pngs(seeded):
    kinds = set(Blob.objects.values_list("extension", flat=True))
    assert kinds == {"pdf", "png"}
    for blob in Blob.objects.all():
        with blob.file.open("rb") as stored:
            content = stored.read()
        assert content.startswith(b"%PDF-") or content.startswith(b"\x89PNG")


def test_it_queues_no_notifications(db, django_capture_on_commit_callbacks):
    balai = regions_demo.seed_organisations()
    regions_demo.seed_users(balai)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed_milestones()
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils not installed")
def test_the_generated_pdf_is_readable(tmp_path):
    path = tmp_path / "demo.pdf"
    path.write_bytes(demo_pdf(["Surat pernyataan komitmen (contoh)", "Kabupaten Barito Timur – M1"]))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Surat pernyataan komitmen (contoh)" in text and "Barito Timur – M1" in text


def test_the_generated_png_is_identified_as_png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert evidence.identify(SimpleUploadedFile("foto.png", demo_png("x"))) == evidence.PNG
