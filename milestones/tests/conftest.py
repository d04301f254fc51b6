"""Fixtures the reminder tests share with the outbox tests that run the daily reminder job."""

import pytest

from milestones.selectors import reminders


@pytest.fixture
def without_late_rule(monkeypatch):
    """For the tests of the other rules: their builders' milestones have planned dates long past, which the
    ``late`` rule (tested on its own in test_day_work.py) would list beside what they count."""
    monkeypatch.setattr(reminders, "_late", lambda user, today: reminders.Source(reminders.Rule.LATE, [], lambda i: i))


@pytest.fixture
def balai_not_reminded(_persona_rows):
    """For the digest's mechanics between two people (the province and the nation): the Balai, which now
    hears of the same escalation (test_day_work.py), is inactive here and gets no digest (a user without
    an e-mail address still gets one, for its in-app notice)."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="balai_kalteng").update(is_active=False)
