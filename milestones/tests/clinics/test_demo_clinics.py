"""The demo's coaching clinics, participants, recommendations and follow-ups: seed_clinics(), seeded once."""

import datetime

import pytest
from django.db.models import Count

from milestones.demo.clinics import seed_clinics
from milestones.models import ActionEvidence, ClinicParticipant, CoachingClinic, FollowUpAction, Recommendation
from milestones.tests.demo_fixtures import seed_once, snapshot
from regencies.models import WorkingGroup

# The demo seeds a database as a fresh migration leaves it (run.sh seeds one just migrated).
pytestmark = pytest.mark.empty_database

BOTH = ("62.12", "62.13")
Status = FollowUpAction.Status

demo = seed_once(seed_clinics)


def test_running_it_twice_creates_nothing_new(demo, db):
    assert len(demo.created["seed_clinics"]) == 10
    for model in (CoachingClinic, ClinicParticipant, Recommendation, FollowUpAction, ActionEvidence):
        assert model.objects.exists()
    before = snapshot()
    assert seed_clinics() == []
    assert snapshot() == before


def test_coaching_clinic_6_is_the_one_domain_md_tells(demo, db):
    cc6 = CoachingClinic.objects.get(province="62", number=6, date=datetime.date(2023, 6, 23))
    assert cc6.title == "Coaching Clinic 6 Implementasi SSK Kabupaten Barito Timur dan Kabupaten Murung Raya"
    assert cc6.date == datetime.date(2023, 6, 23) and cc6.date.weekday() == 4  # a Friday
    assert cc6.venue == "Aula Bappedalitbang Provinsi Kalimantan Tengah"
    assert cc6.mode == CoachingClinic.Mode.HYBRID
    assert cc6.opened_by.startswith("Asisten Perekonomian dan Pembangunan")
    assert "Sekretaris Daerah Provinsi Kalimantan Tengah" in cc6.opened_by
    assert sorted(cc6.regencies.values_list("code", flat=True)) == list(BOTH)
    assert cc6.milestone.number == 4
    assert cc6.organiser.level == WorkingGroup.Level.PROVINCIAL and cc6.organiser.province_id == "62"
    assert cc6.created_by.username == "pokja.kalteng"
    assert cc6.minutes is not None and cc6.minutes_name.endswith(".pdf")
    assert cc6.summary

    participants = list(cc6.participants.all())
    assert len(participants) >= 8
    assert all(p.agency_name for p in participants)
    assert any(p.online and "PPAS Nasional" in p.agency_name for p in participants)
    assert any("Balai Prasarana Permukiman Wilayah Kalimantan Tengah" == p.agency_name for p in participants)
    assert any(p.agency is not None for p in participants)

    recommendations = list(cc6.recommendations.order_by("order"))
    assert [r.order for r in recommendations] == [1, 2, 3, 4]
    assert all(r.actions.exists() for r in recommendations)
    assert "quality assurance" in recommendations[0].text
    for document in ("RPJMD", "RKPD", "Renstra-PD", "Renja-PD", "APBN", "DAK", "Dana Desa"):
        assert document in recommendations[1].text
    assert "APBD" in recommendations[2].text
    assert "NAWASIS" in recommendations[3].text and "Balai Prasarana Permukiman Wilayah" in recommendations[3].text


def test_cc6_follow_ups_have_the_owners_the_brief_gives(demo, db):
    cc6 = CoachingClinic.objects.get(province="62", number=6, date=datetime.date(2023, 6, 23))
    first, second, third, fourth = cc6.recommendations.order_by("order")
    for action in first.actions.all():
        assert action.assigned_working_group.level == WorkingGroup.Level.PROVINCIAL
    for rec in (second, third):
        owners = {action.assigned_regency_id for action in rec.actions.all()}
        assert owners == set(BOTH)
        assert all(action.regency_id == action.assigned_regency_id for action in rec.actions.all())
    for action in fourth.actions.all():
        pokja = action.assigned_working_group
        assert pokja.level == WorkingGroup.Level.REGENCY and pokja.regency_id == action.regency_id
    assert {action.regency_id for action in fourth.actions.all()} == set(BOTH)
    assert all(action.province_id == "62" for action in FollowUpAction.objects.all())


def test_actions_have_varied_statuses_and_closed_ones_are_complete(demo, db):
    statuses = dict(FollowUpAction.objects.values_list("status").annotate(n=Count("pk")))
    assert set(statuses) == {Status.OPEN, Status.IN_PROGRESS, Status.DONE, Status.DROPPED}
    assert statuses[Status.DONE] > statuses[Status.OPEN]

    dropped = FollowUpAction.objects.get(status=Status.DROPPED)
    assert dropped.drop_reason and dropped.closed_at and dropped.closed_by

    for action in FollowUpAction.objects.filter(status=Status.DONE):
        assert action.closing_note and action.closed_at and action.closed_by
        assert action.closed_by.username in ("pokja.kalteng", "petugas.bartim", "petugas.mura", "petugas.seruyan")
    for action in FollowUpAction.objects.filter(status__in=FollowUpAction.ACTIVE_STATUSES):
        assert action.closed_at is None and not action.closing_note

    # CC6's follow-ups of 2023 still open at the end of 2023 (overdue then) were reviewed at CC7 and done
    # early in 2024, with those of 2022 that carried over past CC6; none of 2022–2023 is open any more.
    end_of_2023 = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    history = FollowUpAction.objects.filter(recommendation__clinic__date__year__in=[2022, 2023])
    assert not history.filter(status__in=FollowUpAction.ACTIVE_STATUSES).exists()
    late = history.filter(status=Status.DONE, due_date__lt=datetime.date(2023, 12, 31), closed_at__gte=end_of_2023)
    assert late.filter(recommendation__clinic__number=6, due_date__year=2023).count() >= 3
    assert 1 <= late.filter(recommendation__clinic__date__year=2022).count() <= 2
    assert all(action.closed_at.year == 2024 and action.closing_note for action in late)
    assert ActionEvidence.objects.filter(action__status=Status.DONE).exists()
    assert FollowUpAction.objects.filter(assigned_agency__isnull=False).exists()


def test_clinics_1_to_5_were_held_in_2022(demo, db):
    earlier = CoachingClinic.objects.filter(province="62", number__lt=6, regencies__in=BOTH).distinct()
    assert set(earlier.values_list("number", flat=True)) == {1, 2, 3, 4, 5}
    assert {clinic.date.year for clinic in earlier} == {2022}
    cc2 = earlier.filter(number=2)
    assert sorted(code for clinic in cc2 for code in clinic.regencies.values_list("code", flat=True)) == list(BOTH)
    cc3 = earlier.get(number=3)
    assert cc3.mode == CoachingClinic.Mode.HYBRID and cc3.milestone.number == 2
    assert earlier.get(number=1).milestone.number == 1
    for clinic in earlier:
        assert 1 <= clinic.recommendations.count() <= 3
        assert clinic.recommendations.annotate(n=Count("actions")).filter(n=0).count() == 0
