"""pending_items(user, today): each reminder rule, its recipients and its threshold boundary."""

import datetime

import pytest
import time_machine

from milestones.models import CoachingClinic, FollowUpAction, Recommendation
from milestones.selectors.reminders import Rule, group, pending_items
from milestones.services import milestones as services
from milestones.tests import builders
from regencies.models import WorkingGroup

# The other rules' tests: the late rule is tested on its own (test_day_work.py).
pytestmark = pytest.mark.usefixtures("without_late_rule")

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def at(day, hour=10, minute=0, month=6):
    """Freeze the clock on that day of June 2023, WIB."""
    return time_machine.travel(datetime.datetime(2023, month, day, hour, minute, tzinfo=JAKARTA), tick=False)


def june(day):
    return datetime.date(2023, 6, day)


def follow_up(province, creator, *, due, status=FollowUpAction.Status.OPEN, regency=None, **owner):
    """A follow-up action from a CC6 recommendation; ``owner`` is assigned_regency=… or assigned_working_group=…"""
    clinic = CoachingClinic.objects.create(
        province=province, number=6, title="Implementasi SSK", date=june(1), created_by=creator
    )
    # The clinic covered the regency the action concerns or is assigned to, as the clinic form ensures.
    covered = regency or owner.get("assigned_regency") or getattr(owner.get("assigned_working_group"), "regency", None)
    if covered:
        clinic.regencies.add(covered)
    recommendation = Recommendation.objects.create(clinic=clinic, text="Masukkan program SSK ke RKPD.")
    return FollowUpAction.objects.create(
        recommendation=recommendation,
        province=province,
        regency=regency,
        description="Laporkan hasil implementasi ke NAWASIS.",
        due_date=due,
        status=status,
        drop_reason="Tidak relevan." if status == FollowUpAction.Status.DROPPED else "",
        **owner,
    )


def regency_pokja(regency):
    return WorkingGroup.objects.create(
        level="regency", variant="PPAS", name=f"Pokja PPAS {regency.name}", regency=regency
    )


def rules(user, day):
    return [item.rule for item in pending_items(user, day)]


# --- Follow-up actions ---------------------------------------------------------------------------


def test_a_follow_up_due_in_seven_days_is_pending_and_in_eight_days_is_not(kalteng, bartim, officer_bartim):
    follow_up(kalteng, officer_bartim, due=june(27), assigned_regency=bartim)
    assert rules(officer_bartim, june(20)) == [Rule.FOLLOW_UP]
    assert rules(officer_bartim, june(19)) == []


def test_an_overdue_follow_up_says_by_how_many_days(kalteng, bartim, officer_bartim):
    follow_up(kalteng, officer_bartim, due=june(10), assigned_regency=bartim)
    [item] = pending_items(officer_bartim, june(20))
    assert item.days == 10 and item.since == june(10)


def test_a_follow_up_due_soon_has_negative_days(kalteng, bartim, officer_bartim):
    follow_up(kalteng, officer_bartim, due=june(25), assigned_regency=bartim)
    [item] = pending_items(officer_bartim, june(20))
    assert item.days == -5 and not item.is_late


@pytest.mark.parametrize("status", [FollowUpAction.Status.DONE, FollowUpAction.Status.DROPPED])
def test_a_closed_follow_up_is_not_pending(kalteng, bartim, officer_bartim, status):
    follow_up(kalteng, officer_bartim, due=june(10), assigned_regency=bartim, status=status)
    assert rules(officer_bartim, june(20)) == []


def test_an_in_progress_follow_up_is_still_pending(kalteng, bartim, officer_bartim):
    follow_up(kalteng, officer_bartim, due=june(10), assigned_regency=bartim, status=FollowUpAction.Status.IN_PROGRESS)
    assert rules(officer_bartim, june(20)) == [Rule.FOLLOW_UP]


def test_a_follow_up_assigned_to_a_regency_goes_to_its_officers_and_the_province(personas, kalteng, bartim):
    follow_up(kalteng, personas["pokja_kalteng"], due=june(10), assigned_regency=bartim)
    reminded = {name for name, user in personas.items() if pending_items(user, june(20))}
    assert reminded == {"officer_bartim", "pokja_kalteng"}


def test_a_follow_up_assigned_to_a_regency_pokja_goes_to_that_regencys_officers(personas, kalteng, bartim):
    follow_up(kalteng, personas["pokja_kalteng"], due=june(10), assigned_working_group=regency_pokja(bartim))
    reminded = {name for name, user in personas.items() if pending_items(user, june(20))}
    assert reminded == {"officer_bartim", "pokja_kalteng"}


def test_a_follow_up_assigned_to_the_provincial_pokja_goes_to_provincial_staff_only(personas, kalteng, bartim):
    pokja = WorkingGroup.objects.create(level="provincial", variant="PKP", name="Pokja PKP Kalteng", province=kalteng)
    follow_up(kalteng, personas["pokja_kalteng"], due=june(10), assigned_working_group=pokja, regency=bartim)
    reminded = {name for name, user in personas.items() if pending_items(user, june(20))}
    assert reminded == {"pokja_kalteng"}


# --- Drafts --------------------------------------------------------------------------------------


def test_a_draft_untouched_for_14_days_is_pending_and_for_13_is_not(bartim, officer_bartim):
    with at(1):
        builders.draft(builders.milestone(bartim, 4), officer_bartim)
    assert rules(officer_bartim, june(14)) == []
    assert rules(officer_bartim, june(15)) == [Rule.DRAFT]


def test_editing_a_draft_restarts_its_clock(bartim, officer_bartim):
    with at(1):
        update = builders.draft(builders.milestone(bartim, 4), officer_bartim)
    with at(10):
        services.save_draft(
            milestone=update.milestone, author=officer_bartim, progress=70, narrative="Lanjut.", update=update
        )
    assert rules(officer_bartim, june(15)) == []
    assert rules(officer_bartim, june(24)) == [Rule.DRAFT]


def test_days_are_counted_in_wib_not_utc(bartim, officer_bartim):
    with at(2, hour=6, minute=30):  # still 1 June in UTC
        builders.draft(builders.milestone(bartim, 4), officer_bartim)
    assert rules(officer_bartim, june(15)) == []
    [item] = pending_items(officer_bartim, june(16))
    assert item.since == june(2) and item.days == 14


def test_a_draft_is_only_the_authors_reminder(personas, bartim):
    with at(1):
        builders.draft(builders.milestone(bartim, 4), personas["officer_bartim"])
    reminded = {name for name, user in personas.items() if pending_items(user, june(20))}
    assert reminded == {"officer_bartim"}


# --- Returned updates ----------------------------------------------------------------------------


def test_a_returned_update_not_resubmitted_after_7_days_is_pending_and_after_6_is_not(
    bartim, officer_bartim, pokja_kalteng
):
    with at(1):
        builders.returned(builders.milestone(bartim, 4), officer_bartim, pokja_kalteng)
    assert rules(officer_bartim, june(7)) == []
    [item] = pending_items(officer_bartim, june(8))
    assert item.rule == Rule.RETURNED and item.days == 7


def test_a_returned_update_counts_from_the_return_not_from_the_last_edit(bartim, officer_bartim, pokja_kalteng):
    with at(1):
        update = builders.returned(builders.milestone(bartim, 4), officer_bartim, pokja_kalteng)
    with at(6):
        services.save_draft(
            milestone=update.milestone, author=officer_bartim, progress=70, narrative="Direvisi.", update=update
        )
    assert rules(officer_bartim, june(8)) == [Rule.RETURNED]


def test_a_resubmitted_update_is_no_longer_a_returned_reminder(bartim, officer_bartim, pokja_kalteng):
    with at(1):
        update = builders.returned(builders.milestone(bartim, 4), officer_bartim, pokja_kalteng)
    with at(9):
        services.submit_update(update=update, actor=officer_bartim, notify=False)
    assert Rule.RETURNED not in rules(officer_bartim, june(10))


# --- Waiting for review --------------------------------------------------------------------------


def test_an_update_waiting_more_than_7_days_reminds_the_province(bartim, officer_bartim, pokja_kalteng):
    with at(1):
        builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    assert rules(pokja_kalteng, june(8)) == []  # 7 days: not more than 7
    [item] = pending_items(pokja_kalteng, june(9))
    assert item.rule == Rule.REVIEW and item.days == 8


def test_waiting_updates_go_to_their_own_province_only(bartim, officer_bartim, pokja_kalteng, pokja_kalsel):
    with at(1):
        builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    assert rules(pokja_kalsel, june(20)) == []


def test_the_national_pokja_is_reminded_from_14_days_on(bartim, officer_bartim, national):
    with at(1):
        builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    assert rules(national, june(14)) == []
    [item] = pending_items(national, june(15))
    assert item.rule == Rule.REVIEW and item.days == 14


def test_after_14_days_the_province_is_still_reminded_too(bartim, officer_bartim, pokja_kalteng, national):
    with at(1):
        builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    assert rules(pokja_kalteng, june(15)) == [Rule.REVIEW]
    assert rules(national, june(15)) == [Rule.REVIEW]


def test_waiting_for_review_reminds_nobody_else(personas, bartim):
    with at(1):
        builders.submitted(builders.milestone(bartim, 4), personas["officer_bartim"])
    reminded = {name for name, user in personas.items() if pending_items(user, june(30))}
    assert reminded == {"pokja_kalteng", "national", "balai_kalteng"}  # waited 29 days: escalated


def test_a_decided_update_is_no_longer_waiting(bartim, officer_bartim, pokja_kalteng):
    with at(1):
        update = builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    with at(10):
        services.approve_update(update=update, reviewer=pokja_kalteng, notify=False)
    assert rules(pokja_kalteng, june(20)) == []


# --- Together ------------------------------------------------------------------------------------


def test_items_are_grouped_in_the_rules_order(kalteng, bartim, mura, officer_bartim, pokja_kalteng):
    with at(1):
        builders.draft(builders.milestone(bartim, 1), officer_bartim)
        builders.returned(builders.milestone(bartim, 2), officer_bartim, pokja_kalteng)
    follow_up(kalteng, pokja_kalteng, due=june(30), assigned_regency=bartim)
    groups = group(pending_items(officer_bartim, june(28)))
    assert [g.rule for g in groups] == [Rule.FOLLOW_UP, Rule.RETURNED, Rule.DRAFT]
    assert all(len(g.items) == 1 for g in groups)


def test_a_user_without_a_role_has_nothing_pending(nobody, bartim, officer_bartim):
    with at(1):
        builders.submitted(builders.milestone(bartim, 4), officer_bartim)
    assert pending_items(nobody, june(30)) == []


# --- The thresholds are settings -----------------------------------------------------------------


def _make_item(rule, bartim, personas):
    """The one item of ``rule``, made on 1 June (a follow-up: due on 24 June)."""
    officer, pokja = personas["officer_bartim"], personas["pokja_kalteng"]
    if rule == Rule.FOLLOW_UP:
        return follow_up(bartim.province, pokja, due=june(24), assigned_regency=bartim)
    with at(1):
        milestone = builders.milestone(bartim, 4)
        if rule == Rule.RETURNED:
            return builders.returned(milestone, officer, pokja)
        if rule == Rule.DRAFT:
            return builders.draft(milestone, officer)
        return builders.submitted(milestone, officer)


@pytest.mark.parametrize(
    ("setting", "value", "persona", "rule", "first_day"),
    [
        # due within 10 days instead of 7: from 14 June for a follow-up due on 24 June (17 June by default)
        ("REMINDER_FOLLOW_UP_DUE_DAYS", 10, "officer_bartim", Rule.FOLLOW_UP, june(14)),
        ("REMINDER_RETURNED_STALE_DAYS", 3, "officer_bartim", Rule.RETURNED, june(4)),  # 8 June by default
        ("REMINDER_DRAFT_STALE_DAYS", 3, "officer_bartim", Rule.DRAFT, june(4)),  # 15 June by default
        ("REMINDER_REVIEW_WAIT_DAYS", 3, "pokja_kalteng", Rule.REVIEW, june(5)),  # 9 June by default
        ("REMINDER_REVIEW_ESCALATE_DAYS", 3, "national", Rule.REVIEW, june(4)),  # 15 June by default
    ],
)
def test_each_threshold_is_a_setting_that_moves_its_rules_boundary(
    settings, personas, bartim, setting, value, persona, rule, first_day
):
    _make_item(rule, bartim, personas)
    user = personas[persona]
    assert rules(user, first_day) == []  # the default threshold is not reached yet
    setattr(settings, setting, value)
    assert rules(user, first_day - datetime.timedelta(days=1)) == []
    assert rules(user, first_day) == [rule]
