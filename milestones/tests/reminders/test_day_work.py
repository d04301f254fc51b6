"""The day's work (issue 12): the rules late, qa_waiting, nawasis_waiting, behind and the escalation to the
Balai; who gets each, who not; the two modes (open now for the home page, stale for the digest)."""

import datetime
from decimal import Decimal

import pytest

from milestones.models import Milestone, NawasisSubmission, SSKDocument
from milestones.selectors.reminders import Mode, Rule, pending_items, tasks
from milestones.tests import builders
from milestones.tests.reminders.test_reminder_digest import run_job
from milestones.tests.reminders.test_reminders import at, june
from regencies.models import Regency

ALL = (
    "national",
    "pokja_kalteng",
    "pokja_kalsel",
    "balai_kalteng",
    "coordinator_kalteng",
    "officer_bartim",
    "officer_mura",
    "administrator",
    "nobody",
)


def of_rule(user, rule, day=20, mode=Mode.NOW):
    return [item for item in pending_items(user, june(day), mode=mode) if item.rule == rule]


def who_gets(personas, rule, day=20, mode=Mode.NOW):
    return {name for name in ALL if of_rule(personas[name], rule, day, mode)}


def planned(regency, number, day, year=2023):
    """The regency's milestone M<number> of the 2023 cohort, planned for ``day`` of June 2023."""
    milestone = builders.milestone(regency, number, year=year)
    Milestone.objects.filter(pk=milestone.pk).update(planned_date=june(day))
    milestone.refresh_from_db()
    return milestone


def no_other_plans(regency, year=2023):
    """The cohort's other milestones planned far ahead, so that only the test's own is late."""
    builders.cohort(regency, year)
    Milestone.objects.filter(regency=regency).update(planned_date=datetime.date(2030, 1, 1))


# --- late: late or due soon with no update submitted --------------------------------------------------


@pytest.fixture
def late_m1(bartim):
    no_other_plans(bartim)
    return planned(bartim, 1, 10)  # ten days late on 20 June


def test_a_late_milestone_reminds_its_regencys_officer_and_the_province(personas, late_m1):
    assert who_gets(personas, Rule.LATE) == {"officer_bartim", "pokja_kalteng"}
    [item] = of_rule(personas["officer_bartim"], Rule.LATE)
    assert item.obj == late_m1 and item.days == 10 and item.is_late
    assert item.get_absolute_url() == late_m1.get_absolute_url()
    assert "10" in item.status_text


def test_a_milestone_due_within_the_window_is_listed_and_one_beyond_is_not(personas, bartim, settings):
    settings.REMINDER_LATE_DUE_DAYS = 14
    no_other_plans(bartim)
    milestone = planned(bartim, 2, 1)
    Milestone.objects.filter(pk=milestone.pk).update(planned_date=june(20) + datetime.timedelta(days=14))  # 4 July
    [item] = of_rule(personas["officer_bartim"], Rule.LATE)
    assert item.days == -14 and not item.is_late
    Milestone.objects.filter(pk=item.obj.pk).update(planned_date=june(20) + datetime.timedelta(days=15))
    assert of_rule(personas["officer_bartim"], Rule.LATE) == []


def test_an_update_waiting_for_review_takes_the_milestone_off_the_list(personas, late_m1):
    with at(15):
        builders.submitted(late_m1, personas["officer_bartim"])
    assert who_gets(personas, Rule.LATE) == set()


def test_a_draft_does_not(personas, late_m1):
    with at(15):
        builders.draft(late_m1, personas["officer_bartim"])
    assert who_gets(personas, Rule.LATE) == {"officer_bartim", "pokja_kalteng"}


def test_a_verified_milestone_is_not_late(personas, late_m1):
    Milestone.objects.filter(pk=late_m1.pk).update(status=Milestone.Status.VERIFIED)
    assert who_gets(personas, Rule.LATE) == set()


def test_only_the_current_cohort_counts(personas, bartim):
    no_other_plans(bartim, 2022)
    planned(bartim, 1, 10, year=2022)  # late, but of an older cohort
    no_other_plans(bartim, 2023)
    assert who_gets(personas, Rule.LATE) == set()


def test_the_late_rule_is_the_same_in_both_modes(personas, late_m1):
    assert who_gets(personas, Rule.LATE, mode=Mode.DIGEST) == {"officer_bartim", "pokja_kalteng"}


# --- qa_waiting and nawasis_waiting: the province's own checks -------------------------------------------


def test_an_ssk_document_in_quality_assurance_reminds_the_provinces_pokja(personas, bartim):
    document = SSKDocument.objects.create(
        regency=bartim, period_start=2023, period_end=2027, kind="new", status=SSKDocument.Status.QUALITY_ASSURANCE
    )
    assert who_gets(personas, Rule.QA_WAITING) == {"pokja_kalteng"}
    [item] = of_rule(personas["pokja_kalteng"], Rule.QA_WAITING)
    assert item.get_absolute_url() == f"/ssk/{document.pk}/reviu/"
    assert item.context_label == "Kabupaten Barito Timur"
    SSKDocument.objects.filter(pk=document.pk).update(status=SSKDocument.Status.FINAL)
    assert who_gets(personas, Rule.QA_WAITING) == set()


def nawasis(regency, recorder, day, module="ssk", verified=False):
    return NawasisSubmission.objects.create(
        regency=regency,
        module=module,
        submitted_on=june(day),
        completeness=Decimal("60"),
        recorded_by=recorder,
        verified_at=datetime.datetime(2023, 6, day, 12, tzinfo=datetime.UTC) if verified else None,
    )


def test_a_nawasis_entry_to_verify_reminds_the_provinces_pokja(personas, bartim):
    entry = nawasis(bartim, personas["officer_bartim"], 12)
    assert who_gets(personas, Rule.NAWASIS_WAITING) == {"pokja_kalteng"}
    [item] = of_rule(personas["pokja_kalteng"], Rule.NAWASIS_WAITING)
    assert item.obj == entry and item.days == 8
    assert item.get_absolute_url() == "/kabkota/62.13/nawasis/"


def test_only_the_latest_entry_of_a_module_waits(personas, bartim):
    nawasis(bartim, personas["officer_bartim"], 5)  # superseded, never verified
    nawasis(bartim, personas["officer_bartim"], 12, verified=True)
    assert who_gets(personas, Rule.NAWASIS_WAITING) == set()


# --- escalations and provinces falling behind: the Balai and the nation --------------------------------


def test_an_update_waiting_14_days_escalates_to_the_balai_and_the_nation(personas, bartim):
    with at(1):
        builders.submitted(builders.milestone(bartim, 4), personas["officer_bartim"])
    for mode in Mode:
        assert who_gets(personas, Rule.REVIEW, day=14, mode=mode) >= {"pokja_kalteng"}
        assert "balai_kalteng" not in who_gets(personas, Rule.REVIEW, day=14, mode=mode)
        assert who_gets(personas, Rule.REVIEW, day=15, mode=mode) == {"pokja_kalteng", "balai_kalteng", "national"}


def test_a_province_late_above_the_nations_share_is_falling_behind(personas, bartim, kalsel):
    tanah_laut = Regency.objects.get(code="63.01")
    for regency in (bartim, tanah_laut):
        no_other_plans(regency)
    planned(bartim, 1, 10)  # Kalteng: 1 of 4 late; the nation: 1 of 8
    assert who_gets(personas, Rule.BEHIND) == {"balai_kalteng", "national"}
    [item] = of_rule(personas["national"], Rule.BEHIND)
    assert item.obj.code == "62" and item.get_absolute_url() == "/provinsi/62/"
    assert item.obj.national_share == 0.125 and "25%" in item.title  # the nation's share and its own


def test_a_province_at_the_nations_share_is_not(personas, bartim):
    no_other_plans(bartim)
    planned(bartim, 1, 10)  # Kalteng alone in the programme: its share is the nation's
    assert who_gets(personas, Rule.BEHIND) == set()


# --- the two modes: open now (home, my tasks) and stale (digest) ---------------------------------------


def test_a_return_is_on_the_home_list_at_once_and_in_the_digest_after_a_week(officer_bartim, pokja_kalteng, bartim):
    with at(18):
        builders.returned(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng, reason="Lampirkan SK UPTD.")
    [item] = of_rule(officer_bartim, Rule.RETURNED, day=20)
    assert item.reason == "Lampirkan SK UPTD."
    assert of_rule(officer_bartim, Rule.RETURNED, day=20, mode=Mode.DIGEST) == []
    assert of_rule(officer_bartim, Rule.RETURNED, day=25, mode=Mode.DIGEST) != []


def test_every_draft_is_open_now_and_only_a_stale_one_is_in_the_digest(officer_bartim, bartim):
    with at(19):
        builders.draft(builders.milestone(bartim, 1), officer_bartim)
    assert len(of_rule(officer_bartim, Rule.DRAFT)) == 1
    assert of_rule(officer_bartim, Rule.DRAFT, mode=Mode.DIGEST) == []


def test_the_province_sees_every_waiting_update_now_oldest_first(officer_bartim, pokja_kalteng, bartim):
    with at(19):
        newer = builders.submitted(builders.milestone(bartim, 2), officer_bartim)
    with at(10):
        older = builders.submitted(builders.milestone(bartim, 1), officer_bartim)
    assert [item.obj for item in of_rule(pokja_kalteng, Rule.REVIEW)] == [older, newer]
    assert [item.days for item in of_rule(pokja_kalteng, Rule.REVIEW)] == [10, 1]
    assert [item.obj for item in of_rule(pokja_kalteng, Rule.REVIEW, mode=Mode.DIGEST)] == [older]


def test_tasks_counts_the_new_rules_by_regency_for_the_province(pokja_kalteng, officer_bartim, bartim, late_m1):
    nawasis(bartim, officer_bartim, 12)
    found = tasks(pokja_kalteng, june(20), mode=Mode.NOW)
    assert found.counts[Rule.LATE] == {"62.13": 1} and found.counts[Rule.NAWASIS_WAITING] == {"62.13": 1}


# --- the digest reminds of the new rules ---------------------------------------------------------------


def test_the_digest_lists_the_new_rules_in_indonesian(
    personas, bartim, late_m1, mailoutbox, django_capture_on_commit_callbacks
):
    SSKDocument.objects.create(
        regency=bartim, period_start=2023, period_end=2027, kind="new", status=SSKDocument.Status.QUALITY_ASSURANCE
    )
    nawasis(bartim, personas["officer_bartim"], 12)
    run_job(june(20), django_capture_on_commit_callbacks)
    [officer_mail] = [m for m in mailoutbox if m.to == ["officer_bartim@example.test"]]
    assert "M1" in officer_mail.body and "terlambat 10 hari" in officer_mail.body
    [pokja_mail] = [m for m in mailoutbox if m.to == ["pokja_kalteng@example.test"]]
    for text in ("Dokumen SSK menunggu penjaminan mutu", "Entri NAWASIS menunggu verifikasi", "SSK 2023–2027"):
        assert text in pokja_mail.body
