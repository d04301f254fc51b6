"""The whole demo (``manage.py seed_demo``), seeded once for this module, and its milestone stories."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from milestones.management.commands.seed_demo import demo_extensions
from milestones.models import Blob, Cohort, Evidence, HistoryEntry, Milestone, MilestoneUpdate
from milestones.tests.demo_fixtures import DEMO_TODAY, seed_once, snapshot

# The demo seeds a database as a fresh migration leaves it (run.sh seeds one just migrated).
pytestmark = pytest.mark.empty_database

WIB = ZoneInfo("Asia/Jakarta")

demo = seed_once(*demo_extensions())


def milestones_of(code, year):
    return {m.definition.number: m for m in Milestone.objects.filter(regency=code, cohort__year_m1_m3=year)}


def test_the_first_run_creates_every_cohort(demo, db):
    assert len(demo.created["seed_milestones"]) == 10
    assert Cohort.objects.count() == 10


def test_running_the_whole_demo_again_changes_nothing(demo, db):
    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before
    assert len(before["milestones.HistoryEntry"]) > 0 and len(before["milestones.NawasisSubmission"]) > 0


def test_seeding_queues_no_notifications(demo, db):
    assert demo.callbacks == []
    assert demo.outbox == []


def test_barito_timur_has_m1_to_m3_verified_in_2022_and_m4_verified_after_cc6(demo, db):
    cohort = Cohort.objects.get(regency="62.13", year_m1_m3=2022)
    assert cohort.year_m4 == 2023 and cohort.decree_number.startswith("DEMO/")
    milestones = milestones_of("62.13", 2022)
    for number in (1, 2, 3):
        assert milestones[number].status == Milestone.Status.VERIFIED
        assert milestones[number].progress == 100
        assert milestones[number].actual_date.year == 2022
    m4 = milestones[4]
    assert m4.status == Milestone.Status.VERIFIED and m4.progress == 100
    # The report submitted a week before Coaching Clinic 6 (23 June 2023) was approved after it.
    before_cc6 = m4.updates.get(submitted_at__date=datetime.date(2023, 6, 16))
    assert before_cc6.author.username == "petugas.bartim"
    assert before_cc6.decided_at.astimezone(WIB).date() > datetime.date(2023, 6, 23)
    assert datetime.date(2023, 6, 23) < m4.actual_date < datetime.date(2024, 1, 1)
    assert m4.updates.filter(status=MilestoneUpdate.Status.APPROVED, decided_by__username="pokja.kalteng").count() == 3


def test_murung_raya_m4_was_returned_after_cc6_then_verified(demo, db):
    m4 = milestones_of("62.12", 2022)[4]
    assert m4.status == Milestone.Status.VERIFIED
    entry = m4.history.get(action=HistoryEntry.Action.RETURNED)
    assert "UPTD" in entry.comment and "cakupan layanan" in entry.comment
    assert entry.at.astimezone(WIB).date() == datetime.date(2023, 6, 26)
    assert m4.actual_date > datetime.date(2023, 6, 26)


def test_a_report_after_a_return_revises_the_returned_update(demo, db):
    m2 = milestones_of("62.12", 2022)[2]
    assert m2.updates.get().status == MilestoneUpdate.Status.APPROVED
    actions = list(m2.history.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["created", "submitted", "returned", "edited", "submitted", "approved"]


def test_every_update_status_appears(demo, db):
    statuses = set(MilestoneUpdate.objects.values_list("status", flat=True))
    assert statuses == set(MilestoneUpdate.Status.values)


def test_other_regencies_are_at_their_stages(demo, db):
    for code in ("62.04", "62.08"):
        milestones = milestones_of(code, 2021)
        assert all(m.status == Milestone.Status.VERIFIED for m in milestones.values())
        assert milestones[4].actual_date.year == 2022
    for code in ("62.10", "62.05"):
        milestones = milestones_of(code, 2024)
        assert [milestones[n].status for n in (1, 2, 3)] == [Milestone.Status.VERIFIED] * 3
        # Late: the full-scale report of each waits for review, the last approved one at 70 %.
        assert milestones[4].status == Milestone.Status.SUBMITTED and milestones[4].progress == 70
        assert milestones[4].is_late(today=DEMO_TODAY)
    kapuas = milestones_of("62.03", 2025)
    assert [kapuas[n].status for n in (1, 2, 3, 4)] == ["verified", "verified", "verified", "submitted"]
    seruyan = milestones_of("62.07", 2025)
    assert seruyan[1].actual_date > seruyan[1].planned_date
    assert [seruyan[n].status for n in (2, 3, 4)] == ["verified", "needs_revision", "not_started"]
    assert seruyan[4].is_late(today=DEMO_TODAY)
    katingan, pulang_pisau = milestones_of("62.06", 2026), milestones_of("62.11", 2026)
    assert [katingan[n].status for n in (1, 2, 3)] == ["verified", "verified", "submitted"]
    assert [pulang_pisau[n].status for n in (1, 2)] == ["verified", "in_progress"]


def test_history_is_dated_in_the_story_not_today(demo, db):
    after = datetime.datetime.combine(DEMO_TODAY + datetime.timedelta(days=1), datetime.time(), tzinfo=WIB)
    assert HistoryEntry.objects.filter(at__gte=after).count() == 0
    for update in MilestoneUpdate.objects.all():
        submitted = update.submitted_at or update.created_at
        assert update.created_at <= submitted <= (update.decided_at or update.updated_at)
    assert Evidence.objects.filter(uploaded_at__gte=after).count() == 0


def test_each_update_is_the_regency_officers_and_reviewed_by_the_province(demo, db):
    for update in MilestoneUpdate.objects.select_related("author__ssk_role", "decided_by", "milestone"):
        assert update.author.ssk_role.regency_id == update.milestone.regency_id
        assert update.decided_by is None or update.decided_by.username == "pokja.kalteng"


def test_the_officers_without_a_log_in_cannot_sign_in(demo, db):
    authors = {update.author for update in MilestoneUpdate.objects.select_related("author")}
    signing_in = {author.username for author in authors if author.has_usable_password()}
    assert signing_in == {"petugas.bartim", "petugas.mura", "petugas.seruyan"}
    assert len(authors) == 10


def test_evidence_files_are_accepted_pdfs_and_pngs(demo, db):
    kinds = set(Blob.objects.values_list("extension", flat=True))
    assert kinds == {"pdf", "png"}
    for blob in Blob.objects.all():
        with blob.file.open("rb") as stored:
            content = stored.read()
        assert content.startswith(b"%PDF-") or content.startswith(b"\x89PNG")
    assert Evidence.objects.filter(blob__extension="png").exists()


def test_every_verified_demo_milestone_has_its_evidence_and_every_required_item_accepted(demo, db):
    verified = Milestone.objects.filter(status=Milestone.Status.VERIFIED).select_related("definition")
    assert verified.count() >= 20
    for milestone in verified:
        approving = milestone.updates.filter(status=MilestoneUpdate.Status.APPROVED, progress=100).latest("decided_at")
        required = set(milestone.definition.requirements.values_list("pk", flat=True))
        accepted = set(approving.verdicts.filter(verdict="accepted").values_list("requirement", flat=True))
        assert required and accepted == required, milestone
        assert set(approving.requirements_met.values_list("pk", flat=True)) == required, milestone
        assert approving.evidence.exists(), milestone
        assert approving.verdicts.filter(judged_by__username="pokja.kalteng").count() == len(required)
        previous = milestone.cohort.milestones.filter(definition__number=milestone.definition.number - 1).first()
        assert previous is None or previous.status == Milestone.Status.VERIFIED, milestone


def test_seruyan_sees_why_its_m3_evidence_was_rejected(demo, db):
    returned = MilestoneUpdate.objects.get(milestone__regency="62.07", status=MilestoneUpdate.Status.RETURNED)
    rejected = {v.requirement.order: v.note for v in returned.verdicts.filter(verdict="rejected")}
    assert set(rejected) == {3} and "daftar desa" in rejected[3]
