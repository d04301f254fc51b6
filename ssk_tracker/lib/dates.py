"""The one count of days (waiting times, lateness, reminders): calendar days in the site's time zone."""

import datetime

from django.utils import timezone


def local_day(moment: datetime.date | datetime.datetime) -> datetime.date:
    """The calendar day of a moment in the site's time zone (a date is its own day)."""
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).date()
    return moment


def days_since(moment: datetime.date | datetime.datetime, today: datetime.date) -> int:
    """The one count of days: calendar days from ``moment``'s day to ``today`` (negative if ahead)."""
    return (today - local_day(moment)).days


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in the site's time zone: what "as of 31 December" reads up to."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
