"""seed_scale's builder (milestones/scale.py) writes with bulk inserts, past the services: a small slice of
it (two provinces, three regencies each) must hold every invariant the services keep, give the same
figures from its history as from the live rows, and render the key pages for every role's user."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from milestones import scale
from milestones.models import (
    CoachingClinic,
    EvidenceVerdict,
    FollowUpAction,
    HistoryEntry,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    NawasisSubmission,
    ProgrammeActivity,
)
from milestones.selectors import figures
from milestones.selectors.milestones import verification_gaps
from regencies.models import Regency, UserRole
from regencies.scoping import REVIEW_QUEUE_ROLES, scope_for

pytestmark = pytest.mark.empty_database

TODAY = datetime.date(2026, 11, 20)
NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0))
PROVINCES = ["62", "63"]
U = MilestoneUpdate.Status


@pytest.fixture(scope="module")
def built(module_db, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        return scale.build(today=TODAY, provinces=PROVINCES, regencies_per_province=3, password="pw")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_slice_has_the_volume_per_regency(built, db):
    counts = built.counts
    assert counts["regencies"] == 6 and counts["provinces"] == 2
    assert counts["milestones"] == 24
    assert 12 * 6 <= counts["updates"] <= 30 * 6  # "about 20 per regency"
    assert counts["activities"] == 6 * 30
    assert counts["clinics"] == 2 * 7
    assert counts["blobs"] == 3  # a few real files, many evidence rows
    assert counts["evidence"] > counts["updates"]
    assert CoachingClinic.objects.filter(province="62").values_list("number", flat=True).distinct().count() == 7
    statuses = set(Milestone.objects.values_list("status", flat=True))
    assert len(statuses) >= 3  # mixed states


def test_the_latest_history_entry_is_the_milestone_as_it_stands(built, db):
    for m in Milestone.objects.all():
        latest = m.history.order_by("-at", "-pk").first()
        if latest is None:
            assert (m.status, m.progress) == (MilestoneStatus.NOT_STARTED, 0)
            continue
        assert (latest.status_after, latest.progress_after, latest.planned_after) == (
            m.status,
            m.progress,
            m.planned_date,
        )
        stamps = list(m.history.order_by("at", "pk").values_list("at", flat=True))
        assert stamps == sorted(stamps) and stamps[-1] < NOW


def test_decided_updates_have_reviewer_time_and_history(built, db):
    decided = MilestoneUpdate.objects.filter(status__in=[U.APPROVED, U.RETURNED])
    assert decided.count() > 0
    for u in decided:
        assert u.decided_by_id and u.decided_at and u.submitted_at and u.submitted_at < u.decided_at
        entry = u.history.order_by("-at", "-pk").first()
        assert entry.action == (HistoryEntry.Action.APPROVED if u.is_approved else HistoryEntry.Action.RETURNED)
        assert (entry.at, entry.actor_id) == (u.decided_at, u.decided_by_id)
        assert UserRole.objects.get(user=u.decided_by).province_id == u.milestone.regency.province_id
    for u in MilestoneUpdate.objects.filter(status=U.RETURNED):
        assert u.return_reason
    for u in MilestoneUpdate.objects.filter(status=U.SUBMITTED):
        assert u.decided_by_id is None and u.milestone.status == MilestoneStatus.SUBMITTED
        assert u.history.order_by("-at", "-pk").first().action == HistoryEntry.Action.SUBMITTED
        assert 1 <= (TODAY - timezone.localdate(u.submitted_at)).days <= 60  # a realistic wait, not years


def test_one_open_update_per_milestone(built, db):
    open_counts = Milestone.objects.annotate(
        n=Count("updates", filter=Q(updates__status__in=MilestoneUpdate.OPEN_STATUSES))
    ).values_list("n", flat=True)
    assert max(open_counts) <= 1


def test_verified_milestones_are_complete_and_in_order(built, db):
    verified = Milestone.objects.filter(status=MilestoneStatus.VERIFIED).select_related("definition")
    assert verified.exists()
    for m in verified:
        approval = m.history.filter(action=HistoryEntry.Action.APPROVED).order_by("-at").first()
        assert m.progress == 100 and m.actual_date == timezone.localdate(approval.at)
        assert not verification_gaps(approval.update)  # every required item accepted, the previous verified
        assert approval.update.verdicts.filter(verdict=EvidenceVerdict.Verdict.ACCEPTED).exists()
    assert not EvidenceVerdict.objects.filter(verdict="rejected", note="").exists()


def test_follow_up_rules(built, db):
    actions = FollowUpAction.objects.all()
    assert {a.status for a in actions} == {"open", "in_progress", "done", "dropped"}
    assert any(a.is_overdue(TODAY) for a in actions)
    for a in actions:
        if a.is_done:
            assert a.closing_note and a.closed_at and a.closed_by_id
        elif a.is_dropped:
            assert a.drop_reason and a.closed_at and a.closed_by_id
        else:
            assert not (a.closed_at or a.closed_by_id or a.drop_reason or a.closing_note)
        assert a.regency_id is None or a.regency.province_id == a.province_id
    assert NawasisSubmission.objects.filter(verified_at__isnull=False, verified_by__isnull=False).exists()


def test_the_figures_from_history_equal_the_live_figures(built, db):
    """Pages and reports read the past from HistoryEntry snapshots: read "now" that way, it must equal the rows."""
    columns = ["pk", "status_as_of", "progress_as_of", "planned_as_of", "actual_as_of", "late"]
    live = list(figures.with_state(Milestone.objects.order_by("pk"), TODAY).values_list(*columns))
    from_history = list(figures.with_state(Milestone.objects.order_by("pk"), TODAY, as_of=NOW).values_list(*columns))
    assert live == from_history
    waiting_live = figures.waiting_for_review(MilestoneUpdate.objects.all()).values_list("pk", "waiting_since")
    waiting_past = figures.waiting_for_review(MilestoneUpdate.objects.all(), as_of=NOW).values_list(
        "pk", "waiting_since"
    )
    assert sorted(waiting_live) == sorted(waiting_past) and len(waiting_live) > 0


def test_the_users_are_the_contract(built, db):
    names = set(get_user_model().objects.values_list("username", flat=True))
    regencies = Regency.objects.filter(province__in=PROVINCES).order_by("code")[:1]
    assert {"nasional", "koordinator", "admin", "pokja.62", "pokja.63", "koordinator.62"} <= names
    assert f"petugas.{regencies[0].code}" in names
    assert get_user_model().objects.get(username="admin").is_superuser
    assert get_user_model().objects.get(username="pokja.63").check_password("pw")  # one hash, every user


def test_a_second_run_is_refused(built, db):
    with pytest.raises(CommandError, match="already has programme data"):
        call_command("seed_scale", provinces=["62"])


ROLE_USERS = ["petugas", "pokja.62", "nasional", "koordinator", "koordinator.62", "admin"]


@pytest.mark.parametrize("username", ROLE_USERS)
def test_key_pages_answer_for_every_role(built, db, username):
    regency = Regency.objects.filter(province="62", cohorts__isnull=False).order_by("code").first()
    if username == "petugas":
        username = f"petugas.{regency.code}"
    milestone = Milestone.objects.filter(regency=regency).annotate(n=Count("updates")).order_by("-n").first()
    clinic = CoachingClinic.objects.filter(province="62").order_by("number").first()
    assert ProgrammeActivity.objects.filter(regency=regency).exists()
    urls = [
        reverse("regency", args=[regency.code]),
        reverse("milestone", args=[milestone.pk]),
        reverse("clinic", args=[clinic.pk]),
        reverse("my_tasks"),
        reverse("reports"),
        reverse("activities", args=[regency.code]),
        reverse("nawasis_regency", args=[regency.code]),
        reverse("report_verify"),
    ]
    if not username.startswith("petugas."):  # an officer sees their regency, not the province, nation or queue
        urls += [
            reverse("clinics"),
            reverse("national_overview"),
            reverse("province", args=["62"]),
            reverse("nawasis_province", args=["62"]),
        ]
    if scope_for(get_user_model().objects.get(username=username)).role in REVIEW_QUEUE_ROLES:
        urls.append(reverse("review_queue"))
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    answers = {url: client.get(url, follow=True).status_code for url in urls}  # /klinik/ redirects a Pokja
    assert answers == dict.fromkeys(urls, 200)


def test_the_report_benchmark_refuses_a_database_with_programme_data(built, db):
    with pytest.raises(CommandError, match="already has programme data"):
        call_command("benchmark_reports")


def test_the_slice_has_services_and_outcome_indicators_the_roll_ups_read(built, db):
    from milestones.models import IndicatorActual, ServiceRecord
    from milestones.selectors import indicators, service_records

    assert built.counts["service_records"] >= 1 and built.counts["kecamatan"] >= 6 * 6
    for record in ServiceRecord.objects.prefetch_related("kecamatan"):
        assert all(k.regency_id == record.regency_id for k in record.kecamatan.all())  # its own regency's only
        assert record.regency.full_scale_thresholds.filter(kind=record.kind).exists()
    rollup = service_records.service_rollup(Regency.objects.all(), by_province=True)
    assert rollup.total.with_service == ServiceRecord.objects.values("regency").distinct().count()
    # Every indicator has its older year verified; the newer one is in one of the review states.
    assert IndicatorActual.objects.exists()
    assert not IndicatorActual.objects.filter(review_state="verified", decided_by=None).exists()
    assert not IndicatorActual.objects.filter(review_state="returned", return_reason="").exists()
    codes = list(Regency.objects.values_list("code", flat=True))
    assert indicators.latest_verified("akses_layak", codes)  # the map layer and the ranking have values
