"""The shared rules of milestones.selectors.figures: one rounding, one count of days."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from milestones.selectors import figures
from ssk_tracker.lib.dates import days_since, local_day
from ssk_tracker.lib.numbers import average, percentage

WIB = ZoneInfo("Asia/Jakarta")


def test_a_percentage_is_rounded_half_up():
    assert percentage(27, 40) == Decimal("68")  # 67.5
    assert percentage(2, 3) == Decimal("67")
    assert percentage(2, 3, 1) == Decimal("66.7")
    assert percentage(1, 8, 1) == Decimal("12.5")


def test_a_percentage_of_nothing_is_none():
    assert percentage(0, 0) is None


def test_an_average_is_rounded_half_up():
    assert average([Decimal("86.25"), Decimal("72"), Decimal("47.5")]) == Decimal("69")  # 68.58
    assert average([Decimal("67"), Decimal("68")]) == Decimal("68")  # 67.5
    assert average([]) is None


def test_days_are_calendar_days_in_the_sites_time_zone():
    submitted = datetime.datetime(2023, 6, 16, 15, 30, tzinfo=WIB)
    assert days_since(submitted, datetime.date(2023, 6, 17)) == 1  # not a whole 24 hours yet
    assert days_since(submitted, datetime.date(2023, 12, 2)) == 169


def test_a_moment_counts_on_its_day_in_wib_not_in_utc():
    late_evening_utc = datetime.datetime(2023, 6, 16, 18, 0, tzinfo=datetime.UTC)  # 17 June, 01.00 WIB
    assert local_day(late_evening_utc) == datetime.date(2023, 6, 17)
    assert days_since(late_evening_utc, datetime.date(2023, 6, 17)) == 0


def test_days_since_a_date_count_from_that_date():
    assert days_since(datetime.date(2023, 11, 30), datetime.date(2023, 12, 2)) == 2
    assert days_since(datetime.date(2023, 12, 3), datetime.date(2023, 12, 2)) == -1


def test_follow_up_completion_leaves_dropped_actions_out():
    found = figures.FollowUpFigures(total=9, done=5, dropped=1, overdue=2)
    assert (found.counted, found.active, found.completion_rate) == (8, 3, Decimal("63"))  # 62.5


def test_programme_figures_add_up_statuses_and_keep_the_longest_wait():
    one = figures.ProgrammeFigures(regencies=2, oldest_wait_days=5)
    one.milestones[4].statuses.update({"verified": 1, "submitted": 1})
    one.milestones[4].late = 1
    other = figures.ProgrammeFigures(regencies=3, oldest_wait_days=9)
    other.milestones[4].statuses.update({"submitted": 2})
    total = figures.ProgrammeFigures.summed([one, other])
    assert (total.regencies, total.oldest_wait_days, total.late) == (5, 9, 1)
    assert total.status_counts[4] == {"verified": 1, "submitted": 3}
    assert (total.milestones[4].verified, total.milestones[4].in_progress, total.milestone_count) == (1, 3, 4)
